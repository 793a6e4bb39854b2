"""REST API: the catalogue of specifications (list and search, create, read, update, publish)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel, SkipValidation

from microcred.api.documents import specification_from
from microcred.domain.accounts import Action
from microcred.domain.compliance.report import ComplianceReport
from microcred.domain.specification import Specification
from microcred.http.auth import Target, authorize, require, signed_in, specification_target
from microcred.http.services import catalogue_of, compliance_report
from microcred.http.visibility import visible_record, visible_search, visible_versions
from microcred.services.catalogue import CatalogueQuery, SpecificationRecord

router = APIRouter(prefix="/api/specifications", tags=["specifications"])
# Editing and publishing: a designer (or administrator) of the owning institution.
may_edit = Depends(require(Action.edit_specification, specification_target))

PROBLEMS = {"description": "Bad input: one entry per problem (element, rule, message, severity)"}
NOT_FOUND = {"description": "No specification (or version) has this id"}


class SpecificationSubmission(BaseModel):
    """A new specification and the institution (by slug) that offers it."""

    institution: str
    # Read as a raw document here and parsed by the domain, so every problem is reported
    # with its rule id instead of as a bare schema error.
    specification: SkipValidation[Specification]


@router.get("", response_model=list[SpecificationRecord])
def search_specifications(
    request: Request, query: Annotated[CatalogueQuery, Query()]
) -> list[SpecificationRecord]:
    """List specifications (the latest version of each), filtered by the query parameters."""
    return visible_search(request, query)


@router.post(
    "",
    status_code=201,
    response_model=SpecificationRecord,
    responses={422: PROBLEMS, 404: {"description": "Unknown institution"}},
    dependencies=[Depends(signed_in)],
)
def create_specification(
    request: Request, response: Response, submission: SpecificationSubmission
) -> SpecificationRecord:
    """Store a new specification as version 1, a draft; nothing is stored when it is invalid."""
    authorize(request, Action.edit_specification, Target(submission.institution))
    spec = specification_from(submission.specification, element_prefix="specification")
    record = catalogue_of(request).create(submission.institution, spec)
    response.headers["Location"] = f"/api/specifications/{record.id}"
    return record


@router.get("/{spec_id}", response_model=SpecificationRecord, responses={404: NOT_FOUND})
def get_specification(
    request: Request, spec_id: str, version: int | None = None
) -> SpecificationRecord:
    """Return the latest version of a specification, or the version numbered ``version``."""
    return visible_record(request, spec_id, version)


@router.put(
    "/{spec_id}",
    response_model=SpecificationRecord,
    responses={404: NOT_FOUND, 422: PROBLEMS},
    dependencies=[may_edit],
)
def update_specification(
    request: Request,
    spec_id: str,
    document: Annotated[SkipValidation[Specification], Body()],
) -> SpecificationRecord:
    """Replace the draft (editing a published version opens a new draft version)."""
    return catalogue_of(request).update(spec_id, specification_from(document))


@router.post(
    "/{spec_id}/publish",
    response_model=SpecificationRecord,
    responses={
        404: NOT_FOUND,
        409: {"description": "Refused: the errors under the Council Recommendation, listed"},
    },
    dependencies=[may_edit],
)
def publish_specification(request: Request, spec_id: str) -> SpecificationRecord:
    """Publish the latest version; refused (409) while it has compliance errors."""
    return catalogue_of(request).publish(spec_id)


@router.get(
    "/{spec_id}/versions", response_model=list[SpecificationRecord], responses={404: NOT_FOUND}
)
def specification_versions(request: Request, spec_id: str) -> list[SpecificationRecord]:
    """Return every version of a specification, oldest first."""
    return visible_versions(request, spec_id)


@router.get(
    "/{spec_id}/versions/{version}",
    response_model=SpecificationRecord,
    responses={404: NOT_FOUND},
)
def specification_version(request: Request, spec_id: str, version: int) -> SpecificationRecord:
    """Return one numbered version of a specification."""
    return visible_record(request, spec_id, version)


@router.get("/{spec_id}/compliance", response_model=ComplianceReport, responses={404: NOT_FOUND})
def specification_compliance(
    request: Request, spec_id: str, version: int | None = None
) -> ComplianceReport:
    """Return the compliance report of the latest version (or ``version``)."""
    return compliance_report(request, visible_record(request, spec_id, version).specification)
