"""Awarding one learner from the web: the form on a published specification, and the result.

- ``GET /specifications/{id}/award``: the form (learner, date of birth when the specification
  requires it, grade as a choice when it has a grading scheme, date).
- ``POST`` the same: awards once (the same learner again finds the award made before) and sends
  the registrar to the award's page; a refused award shows the form again with each field's
  problem, and nothing is stored.
- ``GET /awards/{id}``: the award and its credential; ``/awards/{id}/credential.json`` the signed
  credential as issued.
Only a registrar (the ``issue`` permission) of the specification's institution gets through.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from microcred.domain.accounts import Action
from microcred.domain.specification import LearnerIdentifier
from microcred.http.auth import Target, authorize, require, signed_in, specification_target
from microcred.http.services import awards_of
from microcred.i18n import _
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardError, AwardNotFound, AwardRecord
from microcred.services.bulk.preview import parse_date
from microcred.services.catalogue import SpecificationNotFound, SpecificationRecord
from microcred.services.delivery.delivered import NotDelivered, load_delivered
from microcred.services.delivery.links import public_path
from microcred.services.delivery.public_pages import PublicPages
from microcred.services.issuing import IssuingError
from microcred.web import csrf
from microcred.web.status_actions import status_panel
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
may_issue = require(Action.issue, specification_target)
LEARNER_FIELDS = ("name", "email", "institutional_id", "did", "date_of_birth", "language")


def published_or_404(request: Request, spec_id: str) -> SpecificationRecord:
    """Return the published version of a specification; 404 when none is published."""
    try:
        return awards_of(request).issuable(spec_id, None)
    except SpecificationNotFound:
        raise HTTPException(404, detail=_("This specification has no published version.")) from None


def _form_page(
    request: Request,
    record: SpecificationRecord,
    values: dict[str, str],
    errors: dict[str, list[str]],
    status_code: int = 200,
) -> HTMLResponse:
    spec = record.specification
    grades = spec.grading_scheme.grades if spec.grading_scheme else []
    required = set(spec.learner_identification.required)
    context = {
        "record": record,
        "spec": spec,
        "values": values,
        "errors": errors,
        "grades": [(grade, grade) for grade in grades],
        "asks_birth_date": LearnerIdentifier.date_of_birth
        in required | set(spec.learner_identification.optional),
        "required": {str(identifier) for identifier in required},
        "today": date.today().isoformat(),
    }
    return render(request, "award_form.html", context, status_code=status_code)


@router.get(
    "/specifications/{spec_id}/award",
    response_class=HTMLResponse,
    dependencies=[Depends(may_issue)],
)
def award_form(request: Request, spec_id: str) -> HTMLResponse:
    record = published_or_404(request, spec_id)
    return _form_page(request, record, {"awarded_on": date.today().isoformat()}, {})


@router.post(
    "/specifications/{spec_id}/award",
    response_class=HTMLResponse,
    dependencies=[Depends(may_issue)],
)
def award(request: Request, spec_id: str, form: FormData = Depends(csrf.checked_form)) -> Response:
    record = published_or_404(request, spec_id)
    values = {name: str(form.get(name) or "").strip() for name in (*LEARNER_FIELDS, "grade")}
    values["awarded_on"] = str(form.get("awarded_on") or "").strip()
    errors: dict[str, list[str]] = {}
    dates = {}
    for name in ("date_of_birth", "awarded_on"):
        dates[name] = parse_date(values[name]) if values[name] else None
        if values[name] and dates[name] is None:
            errors[name] = [_("Not a date: write it as 2025-03-01.")]
    if errors:
        return _form_page(request, record, values, errors, status_code=422)
    try:
        learner = LearnerInput(
            **{name: values[name] for name in LEARNER_FIELDS if name != "date_of_birth"},
            date_of_birth=dates["date_of_birth"],
        )
        made, created = awards_of(request).award_once(
            record.id,
            record.version,
            learner,
            grade=values["grade"] or None,
            awarded_on=dates["awarded_on"],
        )
    except ValidationError as invalid:
        for error in invalid.errors():
            errors.setdefault(str(error["loc"][0]), []).append(error["msg"])
        return _form_page(request, record, values, errors, status_code=422)
    except AwardError as refused:
        for problem in refused.problems:
            errors.setdefault(problem.field, []).append(problem.sentence())
        return _form_page(request, record, values, errors, status_code=422)
    except IssuingError as refused:
        errors.setdefault(refused.where, []).append(refused.message)
        return _form_page(request, record, values, errors, status_code=422)
    return RedirectResponse(f"/awards/{made.id}?made={int(created)}", status_code=303)


def award_or_404(request: Request, award_id: str) -> AwardRecord:
    """Return an award the signed-in registrar may see: 404 to anyone else, as if missing."""
    signed_in(request)
    try:
        found = awards_of(request).get(award_id)
    except (AwardNotFound, ValueError):
        raise HTTPException(404, detail=_("No award has this id.")) from None
    authorize(request, Action.issue, Target(found.institution, public=False))
    return found


@router.get("/awards/{award_id}", response_class=HTMLResponse)
def award_page(request: Request, award_id: str) -> HTMLResponse:
    found = award_or_404(request, award_id)
    awards = awards_of(request)
    record = awards.issuer.catalogue.get(found.specification_id, found.specification_version)
    delivered = load_delivered(awards.issuer.catalogue, awards.issuer.status, found.credential_id)
    public = PublicPages(awards.db).is_public(found.credential_id)
    context = {
        "award": found,
        "record": record,
        "delivered": delivered,
        "public_path": public_path(found.credential_id) if public else None,
        "made": request.query_params.get("made"),
        "status": status_panel(request, found),
    }
    return render(request, "award_result.html", context)


@router.get("/awards/{award_id}/credential.json")
def award_credential(request: Request, award_id: str) -> Response:
    found = award_or_404(request, award_id)
    awards = awards_of(request)
    try:
        delivered = load_delivered(
            awards.issuer.catalogue, awards.issuer.status, found.credential_id
        )
    except NotDelivered:
        raise HTTPException(404, detail=_("No award has this id.")) from None
    content, filename, media_type = delivered.file()
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
