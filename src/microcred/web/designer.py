"""The designer: a form covering every element, with a compliance panel that follows the typing."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.accounts import Action, Principal, permits
from microcred.domain.compliance.report import ComplianceIssue, ComplianceReport, Severity
from microcred.domain.specification import Specification, localise
from microcred.domain.validation import SpecificationInvalid, parse_specification
from microcred.http.auth import Target, authorize, require, signed_in, specification_target
from microcred.http.services import catalogue_of, compliance_report
from microcred.i18n import _
from microcred.services.catalogue import Catalogue, CatalogueError, PublishRefused
from microcred.web import csrf
from microcred.web.designer_form import errors_by_field, form_context
from microcred.web.form_data import document_from_form, form_from_document
from microcred.web.templating import render
from microcred.web.views import profile_names, record_or_404, severity_names

router = APIRouter(include_in_schema=False)
# Editing a stored specification: a designer (or administrator) of its institution.
may_edit = [Depends(require(Action.edit_specification, specification_target))]

INSTITUTION_FIELD = "institution"
NEW_INSTITUTION_FIELD = "new_institution"
ADD_ROW_ACTIONS = {
    "add_awarding_body": "awarding_bodies",
    "add_learning_outcome": "learning_outcomes",
    "add_stacking_target": "stackability.targets",
}


def compliance_of(
    request: Request, document: dict[str, Any]
) -> tuple[ComplianceReport | None, list[ComplianceIssue]]:
    """Return the compliance report of a document, or the problems that stop it being read."""
    try:
        spec = parse_specification(document)
    except SpecificationInvalid as invalid:
        return None, list(invalid.issues)
    return compliance_report(request, spec), []


def _institution_choices(request: Request, catalogue: Catalogue) -> list[tuple[str, str]]:
    """Return the institutions the signed-in user may design for."""
    principal = signed_in(request)
    return [
        (institution.slug, localise(institution.name, request.state.lang) or institution.slug)
        for institution in catalogue.list_institutions()
        if permits(principal, Action.edit_specification, institution.slug)
    ]


def _page(
    request: Request,
    values: dict[str, Any],
    *,
    action_url: str,
    heading: str,
    form_issues: list[ComplianceIssue],
    report: ComplianceReport | None,
    added_row: str | None = None,
    status_code: int = 200,
    editing: bool = False,
) -> HTMLResponse:
    catalogue = catalogue_of(request)
    return render(
        request,
        "designer.html",
        {
            "nav": "designer",
            "heading": heading,
            "action_url": action_url,
            "values": values,
            "errors": errors_by_field(form_issues),
            "form_issues": form_issues,
            "report": report,
            "editing": editing,
            "institutions": _institution_choices(request, catalogue),
            "profile_names": profile_names(),
            "severity_names": severity_names(),
            **form_context(values, added_row),
        },
        status_code=status_code,
    )


@router.get("/designer", response_class=HTMLResponse)
def new_specification(request: Request, principal: Principal = Depends(signed_in)) -> HTMLResponse:
    report, issues = compliance_of(request, {})
    return _page(
        request,
        {},
        action_url="/designer",
        heading=_("Design a micro-credential"),
        form_issues=issues,
        report=report,
    )


@router.post("/designer/check", response_class=HTMLResponse)
def check_form(request: Request, form: FormData = Depends(csrf.checked_form)) -> HTMLResponse:
    """Return the compliance panel for the form as it is now (htmx swaps it in)."""
    report, issues = compliance_of(request, document_from_form(form.multi_items()))
    return render(
        request,
        "partials/compliance_panel.html",
        {
            "report": report,
            "form_issues": issues,
            "profile_names": profile_names(),
            "severity_names": severity_names(),
            "findings_link": "",  # the form is this page: findings link to its sections
        },
    )


@router.post("/designer", response_class=HTMLResponse)
def create_specification(
    request: Request,
    form: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(signed_in),
) -> Response:
    return _submit(request, form, spec_id=None)


@router.get("/specifications/{spec_id}/edit", response_class=HTMLResponse, dependencies=may_edit)
def edit_specification(request: Request, spec_id: str) -> HTMLResponse:
    record = record_or_404(request, spec_id)
    values = form_from_document(record.specification.model_dump(mode="json", exclude_none=True))
    values[INSTITUTION_FIELD] = record.institution
    report, issues = compliance_of(request, record.specification.model_dump(mode="json"))
    return _page(
        request,
        values,
        action_url=f"/specifications/{record.id}/edit",
        heading=_("Edit “%(title)s”")
        % {"title": localise(record.specification.title, request.state.lang)},
        form_issues=issues,
        report=report,
        editing=True,
    )


@router.post("/specifications/{spec_id}/edit", response_class=HTMLResponse, dependencies=may_edit)
def update_specification(
    request: Request, spec_id: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    record = record_or_404(request, spec_id)
    return _submit(request, form, spec_id=record.id)


def _submit(request: Request, form: FormData, spec_id: str | None) -> Response:
    """Save the form as a draft, or show it again with one more row or with its errors."""
    items = form.multi_items()
    document = document_from_form(items)
    values = form_from_document(document)
    for name in (INSTITUTION_FIELD, NEW_INSTITUTION_FIELD):
        if isinstance(form.get(name), str):
            values[name] = str(form.get(name)).strip()
    action_url = "/designer" if spec_id is None else f"/specifications/{spec_id}/edit"
    heading = _("Design a micro-credential") if spec_id is None else _("Edit the specification")
    action = str(form.get("action") or "save")
    if action in ADD_ROW_ACTIONS:
        report, issues = compliance_of(request, document)
        return _page(
            request,
            values,
            action_url=action_url,
            heading=heading,
            form_issues=[],
            report=report,
            added_row=ADD_ROW_ACTIONS[action],
            editing=spec_id is not None,
        )
    try:
        spec = parse_specification(document)
        problems: list[ComplianceIssue] = []
    except SpecificationInvalid as invalid:
        spec, problems = None, list(invalid.issues)
    if spec_id is None:
        problems += _institution_problems(values)
    if spec is None or problems:
        report = None if spec is None else compliance_report(request, spec)
        return _page(
            request,
            values,
            action_url=action_url,
            heading=heading,
            form_issues=problems,
            report=report,
            status_code=422,
            editing=spec_id is not None,
        )
    return _save(request, values, spec, spec_id, action_url, heading, publish=action == "publish")


def _institution_problems(values: dict[str, Any]) -> list[ComplianceIssue]:
    if values.get(INSTITUTION_FIELD) or values.get(NEW_INSTITUTION_FIELD):
        return []
    return [
        ComplianceIssue(
            rule="FORM",
            severity=Severity.error,
            element=INSTITUTION_FIELD,
            message=_("Choose the institution that offers this micro-credential, or add one."),
        )
    ]


def _save(
    request: Request,
    values: dict[str, Any],
    spec: Specification,
    spec_id: str | None,
    action_url: str,
    heading: str,
    *,
    publish: bool,
) -> Response:
    """Store the draft (and publish it if asked); then show the specification page."""
    catalogue = catalogue_of(request)
    try:
        if spec_id is not None:
            record = catalogue.update(spec_id, spec)
        else:
            chosen = values.get(INSTITUTION_FIELD)
            # Designing for an institution needs a role there; adding one is the operator's.
            if chosen:
                authorize(request, Action.edit_specification, Target(chosen))
            else:
                authorize(request, Action.manage_institutions, Target(None))
            institution = chosen or _add_institution(catalogue, values[NEW_INSTITUTION_FIELD])
            record = catalogue.create(institution, spec)
    except CatalogueError as error:
        problem = ComplianceIssue(
            rule="FORM", severity=Severity.error, element=INSTITUTION_FIELD, message=str(error)
        )
        return _page(
            request,
            values,
            action_url=action_url,
            heading=heading,
            form_issues=[problem],
            report=compliance_report(request, spec),
            status_code=422,
            editing=spec_id is not None,
        )
    if not publish:
        return RedirectResponse(f"/specifications/{record.id}?saved=1", status_code=303)
    try:
        catalogue.publish(record.id)
    except PublishRefused:
        # The draft is kept; the page lists the errors that stopped publishing.
        return RedirectResponse(f"/specifications/{record.id}?saved=1&refused=1", status_code=303)
    return RedirectResponse(f"/specifications/{record.id}?published=1", status_code=303)


def _add_institution(catalogue: Catalogue, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] or "institution"
    return catalogue.ensure_institution(slug, {"en": name}).slug
