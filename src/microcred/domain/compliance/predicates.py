"""Small questions several rules ask of a Specification."""

from __future__ import annotations

import re

from microcred.domain.compliance.rule import Finding
from microcred.domain.specification import Specification
from microcred.domain.vocabularies import QF_EHEA_CYCLE_TO_EQF, eqf_number, get_vocabulary
from microcred.domain.vocabularies.concepts import not_in

ATTENDANCE = "http://data.europa.eu/snb/assessment/7331eb4762"  # "level of attendance"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# No colon: "javascript:alert(1)//@x.org" is a script link, not an address.
_EMAIL = re.compile(r"^[^@\s:]+@[^@\s:]+\.[^@\s:]+$")
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", re.IGNORECASE)


def has_text(language_map: dict[str, str]) -> bool:
    """True when a language map holds some non-blank text."""
    return any(text.strip() for text in language_map.values())


def is_url(value: str) -> bool:
    return bool(_URL.match(value))


def is_identifier(value: str) -> bool:
    """True for an http(s) URL, a URN or a DID."""
    return is_url(value) or bool(_URN.match(value)) or value.startswith("did:")


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def has_outcomes(spec: Specification) -> bool:
    return any(has_text(outcome.text) for outcome in spec.learning_outcomes)


def missing_supplement_fields(spec: Specification) -> list[str]:
    """Return the missing credential-supplement fields: title, ECTS, outcomes, level, assessment."""
    present = {
        "title": has_text(spec.title),
        "workload.ects": spec.workload.ects is not None,
        "learning_outcomes": has_outcomes(spec),
        "level": spec.level.eqf is not None or spec.level.qf_ehea_cycle is not None,
        "assessment.types": bool(spec.assessment.types),
    }
    return [name for name, ok in present.items() if not ok]


def concept_findings(element: str, value: str | None, vocabulary: str) -> list[Finding]:
    """Return a finding when ``value`` is given but not in ``vocabulary``, naming the scheme."""
    scheme = get_vocabulary(vocabulary)
    if value is None or value in scheme:
        return []
    return [Finding(not_in(scheme, value).message, element=element)]


def vocabulary_findings(element: str, values: list[str], vocabulary: str) -> list[Finding]:
    """Return one finding per list item that is not in ``vocabulary``."""
    return [
        finding
        for index, value in enumerate(values)
        for finding in concept_findings(f"{element}[{index}]", value, vocabulary)
    ]


def level_number(spec: Specification) -> int | None:
    """Return the EQF level number, from the EQF URI or else the QF-EHEA cycle."""
    if spec.level.eqf is not None:
        return eqf_number(spec.level.eqf)
    cycle = spec.level.qf_ehea_cycle
    return QF_EHEA_CYCLE_TO_EQF[cycle] if cycle is not None else None


def require(condition: bool, message: str, element: str = "") -> list[Finding]:
    """Return no finding when ``condition`` holds, else one finding with ``message``."""
    return [] if condition else [Finding(message, element=element)]
