"""Reading a specification document sent to the API."""

from __future__ import annotations

from typing import Any

from microcred.domain.compliance.report import ComplianceIssue, Severity
from microcred.domain.specification import Specification
from microcred.domain.validation import SpecificationInvalid, parse_specification

# The rule id of a document that is not even a JSON object.
DOCUMENT_RULE = "API-DOCUMENT"


def specification_from(document: Any, element_prefix: str = "") -> Specification:
    """Return the Specification a JSON document describes; SpecificationInvalid lists problems.

    ``element_prefix`` names where the document sits in the request body, so each problem's
    element points at the right place (``specification.workload.ects``).
    """
    if not isinstance(document, dict):
        raise SpecificationInvalid(
            [
                ComplianceIssue(
                    rule=DOCUMENT_RULE,
                    severity=Severity.error,
                    element=element_prefix or "body",
                    message=f"a specification must be a JSON object, got {type(document).__name__}",
                )
            ]
        )
    try:
        return parse_specification(document)
    except SpecificationInvalid as invalid:
        if not element_prefix:
            raise
        raise SpecificationInvalid(
            [
                issue.model_copy(update={"element": _prefixed(element_prefix, issue.element)})
                for issue in invalid.issues
            ]
        ) from None


def _prefixed(prefix: str, element: str) -> str:
    return f"{prefix}.{element}" if element else prefix
