"""The pathway pages: a learner's progress on every pathway; for designers, their pathways,
composing a new one and changing one, each shown with its stacked credential's compliance.

- ``GET /pathways``: the signed-in learner's progress (met, missing, suggestions).
- ``GET /pathways/design``: the pathways of the institutions the signed-in person designs for.
- ``GET|POST /pathways/design/new``: the form; a refused pathway is shown again with each
  problem, and nothing is stored.
- ``GET /pathways/design/{id}``: a pathway, its rules and its credential's compliance (public,
  as ``GET /api/pathways/{id}`` is).
- ``GET|POST /pathways/design/{id}/edit``: designers of the pathway's institution only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.accounts import Action, Principal, permits
from microcred.domain.pathways import Pathway
from microcred.domain.specification import localise
from microcred.domain.specification_status import SpecificationStatus
from microcred.http.auth import Target, authorize, signed_in, viewer
from microcred.http.services import catalogue_of, compliance_report, pathways_of
from microcred.i18n import _
from microcred.services.catalogue import SpecificationNotFound, SpecificationRecord
from microcred.services.catalogue_query import CatalogueQuery
from microcred.services.pathways import PathwayInvalid, PathwayNotFound
from microcred.web import csrf
from microcred.web.pathway_form import (
    PathwayForm,
    form_from_post,
    form_from_requirement,
    requirement_from_form,
)
from microcred.web.staff_access import institutions_for, staff_for
from microcred.web.templating import render
from microcred.web.views import profile_names, severity_names

router = APIRouter()
designer_only = staff_for(Action.edit_specification)
LISTED = 1000  # specifications offered in the form's choices


@router.get("/pathways", response_class=HTMLResponse)
def progress_page(request: Request, principal: Principal = Depends(signed_in)) -> HTMLResponse:
    progress = pathways_of(request).learner_progress(principal.email)
    return render(request, "pathways.html", {"nav": "wallet", "progress": progress})


@router.get("/pathways/design", response_class=HTMLResponse)
def designer_list(request: Request, principal: Principal = Depends(designer_only)) -> HTMLResponse:
    service = pathways_of(request)
    mine = institutions_for(request, principal, Action.edit_specification)
    pathways = [pathway for slug in mine for pathway in service.list(slug)]
    context = {"nav": "pathway-design", "pathways": pathways, "spec_titles": _titles(request)}
    return render(request, "pathway_list.html", context)


@router.get("/pathways/design/new", response_class=HTMLResponse)
def new_pathway(request: Request, principal: Principal = Depends(designer_only)) -> HTMLResponse:
    form = PathwayForm({"combine": "all_of"})
    return _form_page(request, principal, form, None)


@router.post("/pathways/design/new", response_class=HTMLResponse)
def create_pathway(
    request: Request,
    form_data: FormData = Depends(csrf.checked_form),
    principal: Principal = Depends(designer_only),
) -> Response:
    form = form_from_post(form_data)
    institution = form.values.get("institution", "")
    if institution not in institutions_for(request, principal, Action.edit_specification):
        form.errors["institution"] = _("Choose an institution you design for.")
    return _save(request, principal, form, None, institution)


@router.get("/pathways/design/{pathway_id}", response_class=HTMLResponse)
def pathway_page(request: Request, pathway_id: str) -> HTMLResponse:
    pathway = _found(request, pathway_id)
    service = pathways_of(request)
    try:
        report = service.compliance(pathway, request.app.state.settings.eslp_min_eqf)
    except SpecificationNotFound:
        report = None
    context = {
        "nav": "pathway-design",
        "pathway": pathway,
        "target": _record(request, pathway.target_specification_id),
        "report": report,
        "form_issues": [],
        "profile_names": profile_names(),
        "severity_names": severity_names(),
        "spec_titles": _titles(request),
        "pathway_titles": _pathway_titles(request),
        "may_edit": permits(viewer(request), Action.edit_specification, pathway.institution),
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "pathway.html", context)


@router.get("/pathways/design/{pathway_id}/edit", response_class=HTMLResponse)
def edit_pathway(request: Request, pathway_id: str) -> HTMLResponse:
    pathway = _editable(request, pathway_id)
    form = form_from_requirement(pathway.requirement.model_dump(mode="json"))
    form.values.update(_pathway_values(pathway))
    return _form_page(request, signed_in(request), form, pathway)


@router.post("/pathways/design/{pathway_id}/edit", response_class=HTMLResponse)
def update_pathway(
    request: Request, pathway_id: str, form_data: FormData = Depends(csrf.checked_form)
) -> Response:
    pathway = _editable(request, pathway_id)
    form = form_from_post(form_data)
    return _save(request, signed_in(request), form, pathway, pathway.institution)


def _save(
    request: Request,
    principal: Principal,
    form: PathwayForm,
    pathway: Pathway | None,
    institution: str,
) -> Response:
    """Store the posted pathway and go to its page, or show the form again with its problems."""
    if form.values.get("action") == "add-row":
        return _form_page(request, principal, form.with_blank_rows(extra=1), pathway)
    requirement = requirement_from_form(form)
    if requirement is None or form.errors:
        return _form_page(request, principal, form, pathway, status_code=422)
    title = {"en": form.values.get("title.en", ""), "de": form.values.get("title.de", "")}
    target = form.values.get("target_specification_id", "")
    auto_award = form.values.get("auto_award") == "on"
    service = pathways_of(request)
    try:
        if pathway is None:
            saved = service.create(
                institution,
                title,
                target,
                requirement,
                actor=principal.label,
                auto_award=auto_award,
            )
        else:
            saved = service.update(
                pathway.id, title, target, requirement, actor=principal.label, auto_award=auto_award
            )
    except PathwayInvalid as refused:
        return _form_page(
            request, principal, form, pathway, problems=refused.problems, status_code=422
        )
    return RedirectResponse(f"/pathways/design/{saved.id}?saved=1", status_code=303)


def _form_page(
    request: Request,
    principal: Principal,
    form: PathwayForm,
    pathway: Pathway | None,
    *,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    mine = institutions_for(request, principal, Action.edit_specification)
    targets = [
        record
        for slug in ([pathway.institution] if pathway else mine)
        for record in catalogue_of(request).search(CatalogueQuery(institution=slug, limit=LISTED))
    ]
    chosen = _record(request, form.values.get("target_specification_id", ""))
    report = compliance_report(request, chosen.specification) if chosen else None
    context: dict[str, Any] = {
        "nav": "pathway-design",
        "form": form if form.values.get("requirement_json") else form.with_blank_rows(),
        "pathway": pathway,
        "institutions": mine,
        "targets": targets,
        "components": _published(request),
        "other_pathways": [
            (pid, title)
            for pid, title in _pathway_titles(request).items()
            if pathway is None or pid != pathway.id
        ],
        "problems": problems or [],
        "report": report,
        "chosen_target": chosen,
        "form_issues": [],
        "profile_names": profile_names(),
        "severity_names": severity_names(),
    }
    return render(request, "pathway_form.html", context, status_code=status_code)


def _found(request: Request, pathway_id: str) -> Pathway:
    try:
        return pathways_of(request).get(pathway_id)
    except PathwayNotFound:
        raise HTTPException(404, detail=_("No pathway has this id.")) from None


def _editable(request: Request, pathway_id: str) -> Pathway:
    signed_in(request)
    pathway = _found(request, pathway_id)
    authorize(request, Action.edit_specification, Target(pathway.institution))
    return pathway


def _pathway_values(pathway: Pathway) -> dict[str, str]:
    values = {f"title.{lang}": text for lang, text in pathway.title.items()}
    values["target_specification_id"] = pathway.target_specification_id
    values["auto_award"] = "on" if pathway.auto_award else ""
    values["institution"] = pathway.institution
    return values


def _record(request: Request, spec_id: str) -> SpecificationRecord | None:
    if not spec_id:
        return None
    try:
        return catalogue_of(request).get(spec_id)
    except SpecificationNotFound:
        return None


def _published(request: Request) -> list[SpecificationRecord]:
    query = CatalogueQuery(status=SpecificationStatus.published, limit=LISTED)
    return catalogue_of(request).search(query)


def _titles(request: Request) -> dict[str, str]:
    """Return the title of every published specification by id (components, targets)."""
    lang = request.state.lang
    return {r.id: localise(r.specification.title, lang) for r in _published(request)}


def _pathway_titles(request: Request) -> dict[str, str]:
    lang = request.state.lang
    return {p.id: localise(p.title, lang) for p in pathways_of(request).list()}
