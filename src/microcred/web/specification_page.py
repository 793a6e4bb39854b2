"""The specification page: every Annex I element, the compliance panel, versions, publishing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.accounts import Action, permits
from microcred.domain.specification import localise
from microcred.http.auth import require, specification_target, viewer
from microcred.http.services import catalogue_of, compliance_report
from microcred.http.visibility import visible_versions
from microcred.services.catalogue import PublishRefused, SpecificationRecord
from microcred.web import csrf
from microcred.web.branding_pages import brand_for
from microcred.web.designer_form import (
    cycle_names,
    learner_identifier_names,
    stackability_names,
    supervision_names,
)
from microcred.web.templating import render
from microcred.web.views import (
    profile_names,
    record_or_404,
    severity_names,
    status_names,
)

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, record: SpecificationRecord, status_code: int = 200, **notices: Any
) -> HTMLResponse:
    catalogue = catalogue_of(request)
    versions = visible_versions(request, record.id)
    report = compliance_report(request, record.specification)
    institution_names = {
        institution.slug: localise(institution.name, request.state.lang)
        for institution in catalogue.list_institutions()
    }
    return render(
        request,
        "specification.html",
        {
            "record": record,
            "spec": record.specification,
            "versions": versions,
            "is_latest": record.version == versions[-1].version,
            "institution_name": institution_names.get(record.institution, record.institution),
            "brand": brand_for(request, record.institution),
            "brand_name": institution_names.get(record.institution, record.institution),
            "report": report,
            "form_issues": [],
            "profile_names": profile_names(),
            "severity_names": severity_names(),
            "status_names": status_names(),
            "cycles": cycle_names(),
            "learner_identifiers": learner_identifier_names(),
            "supervision_names": supervision_names(),
            "stackability_names": stackability_names(),
            "saved": request.query_params.get("saved") == "1",
            "published": request.query_params.get("published") == "1",
            "refused": report.errors if request.query_params.get("refused") == "1" else [],
            # Only those who may edit see Edit and Publish (others would meet a 403).
            "may_edit": permits(viewer(request), Action.edit_specification, record.institution),
            # Registrars of the owner see the award forms of a published version.
            "may_issue": record.status == "published"
            and permits(viewer(request), Action.issue, record.institution),
            **notices,
        },
        status_code=status_code,
    )


@router.get("/specifications/{spec_id}", response_class=HTMLResponse)
def specification(request: Request, spec_id: str, version: int | None = None) -> HTMLResponse:
    return _page(request, record_or_404(request, spec_id, version))


@router.get(
    "/specifications/{spec_id}/publish",
    response_class=HTMLResponse,
    dependencies=[Depends(require(Action.edit_specification, specification_target))],
)
def confirm_publish(request: Request, spec_id: str) -> HTMLResponse:
    """Return the page that asks once more before a draft goes into the public catalogue."""
    record = record_or_404(request, spec_id)
    report = compliance_report(request, record.specification)
    context = {"record": record, "errors": len(report.errors), "nav": "designer"}
    return render(request, "publish_confirm.html", context)


@router.post(
    "/specifications/{spec_id}/publish",
    response_class=HTMLResponse,
    dependencies=[Depends(require(Action.edit_specification, specification_target))],
)
def publish(
    request: Request, spec_id: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    record = record_or_404(request, spec_id)
    try:
        catalogue_of(request).publish(record.id)
    except PublishRefused as refused:
        return _page(request, record, status_code=409, refused=refused.issues)
    return RedirectResponse(f"/specifications/{record.id}?published=1", status_code=303)
