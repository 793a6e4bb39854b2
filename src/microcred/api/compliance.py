"""REST API: the compliance report of a specification document, without storing it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from pydantic import SkipValidation

from microcred.api.documents import specification_from
from microcred.domain.compliance.report import ComplianceReport
from microcred.domain.specification import Specification
from microcred.http.services import compliance_report

router = APIRouter(prefix="/api/compliance", tags=["compliance"])


@router.post(
    "/check",
    response_model=ComplianceReport,
    responses={422: {"description": "The document cannot be read as a specification"}},
)
def check_specification(
    request: Request, document: Annotated[SkipValidation[Specification], Body()]
) -> ComplianceReport:
    """Return the compliance report of a specification document; nothing is stored."""
    return compliance_report(request, specification_from(document))
