"""The learners' pages: the course finder, the guidance questionnaire, a course's page with
what it stacks into, and the courses and pathways a signed-in learner saved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from microcred.domain.accounts import Principal
from microcred.domain.specification import localise
from microcred.domain.vocabularies import choices
from microcred.http.auth import LoginRequired, current_user
from microcred.http.finder_search import read_search
from microcred.http.services import finder_of
from microcred.i18n import gettext_ as _
from microcred.services.finder import PROFILE_NAMES, CourseNotFound
from microcred.services.finder.facts import DELIVERIES
from microcred.services.finder.reasons import DELIVERY_NAMES
from microcred.services.finder.saved import SavedItems
from microcred.web import csrf
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
ANSWERS = ("profile", "hours", "budget", "level", "prefer")


@router.get("/courses", response_class=HTMLResponse)
def courses(request: Request) -> HTMLResponse:
    lang: str = request.state.lang
    asked = {name: value for name, value in request.query_params.items() if value.strip()}
    page = _page_number(asked.pop("page", "1"))
    params = {**asked, "limit": str(PAGE_SIZE), "offset": str((page - 1) * PAGE_SIZE)}
    query, answers, errors = read_search(params, lang)
    finder = finder_of(request)
    results = finder.search(query, answers) if query and answers else None
    user = _learner(request)
    saved = _saved_courses(request, user)
    return render(
        request,
        "courses.html",
        {
            "nav": "courses",
            "asked": asked,
            "errors": errors,
            "results": results,
            "page": page,
            "pages": -(-results.total // PAGE_SIZE) if results else 0,
            "guided": bool(answers and answers.given),
            "answers": {name: asked[name] for name in ANSWERS if name in asked},
            "saved": saved,
            **_choices(request, lang),
        },
        status_code=422 if errors else 200,
    )


@router.get("/courses/guide", response_class=HTMLResponse)
def guide(request: Request) -> HTMLResponse:
    asked = {name: request.query_params.get(name, "") for name in ANSWERS}
    return render(
        request,
        "course_guide.html",
        {"nav": "courses", "asked": asked, "errors": {}, **_choices(request, request.state.lang)},
    )


@router.get("/courses/saved", response_class=HTMLResponse)
def saved_list(request: Request) -> HTMLResponse:
    user = _signed_in_learner(request)
    items = SavedItems(request.app.state.database).saved(user.user_id or 0)
    return render(request, "courses_saved.html", {"nav": "courses", "items": items})


@router.post("/courses/saved/forget")
async def forget(request: Request) -> RedirectResponse:
    form = await csrf.checked_form(request)
    user = _signed_in_learner(request)
    kind, ref = str(form.get("kind", "")), str(form.get("ref", ""))
    if kind in ("course", "pathway"):
        SavedItems(request.app.state.database).forget(user.user_id or 0, kind, ref)  # type: ignore[arg-type]
    return RedirectResponse(_back(form.get("next"), "/courses/saved"), status_code=303)


@router.get("/courses/{spec_id}", response_class=HTMLResponse)
def course(request: Request, spec_id: str) -> HTMLResponse:
    try:
        found = finder_of(request).course(spec_id)
    except CourseNotFound as missing:
        raise HTTPException(404, detail=str(missing)) from None
    user = _learner(request)
    saved = _saved_refs(request, user)
    return render(
        request,
        "course.html",
        {
            "nav": "courses",
            "course": found,
            "spec": found.specification,
            "facts": found.offer.facts,
            "institution": _institution_names(request, request.state.lang).get(
                found.offer.institution, found.offer.institution
            ),
            "saved": saved,
            **_choices(request, request.state.lang),
        },
    )


@router.post("/courses/{spec_id}/save")
async def save(request: Request, spec_id: str) -> RedirectResponse:
    """Save the course, or one pathway it stacks into (form field ``pathway``)."""
    form = await csrf.checked_form(request)
    user = _signed_in_learner(request)
    try:
        found = finder_of(request).course(spec_id)
    except CourseNotFound as missing:
        raise HTTPException(404, detail=str(missing)) from None
    saved = SavedItems(request.app.state.database)
    pathway = str(form.get("pathway") or "")
    if pathway:
        link = next((p for p in found.context.pathways if p.ref == pathway), None)
        if link is None:
            raise HTTPException(
                422,
                detail=_("This course does not stack into the pathway %(ref)s.") % {"ref": pathway},
            )
        saved.save(user.user_id or 0, "pathway", link.ref, link.title)
    else:
        saved.save(user.user_id or 0, "course", spec_id, found.specification.title)
    return RedirectResponse(f"/courses/{spec_id}?saved=1", status_code=303)


def _learner(request: Request) -> Principal | None:
    user = current_user(request)
    return user if user is not None and user.user_id is not None else None


def _signed_in_learner(request: Request) -> Principal:
    user = _learner(request)
    if user is None:
        raise LoginRequired()
    return user


def _saved_refs(request: Request, user: Principal | None) -> set[tuple[str, str]]:
    if user is None or user.user_id is None:
        return set()
    items = SavedItems(request.app.state.database).saved(user.user_id)
    return {(item.kind, item.ref) for item in items}


def _saved_courses(request: Request, user: Principal | None) -> set[str]:
    return {ref for kind, ref in _saved_refs(request, user) if kind == "course"}


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _back(target: object, default: str) -> str:
    text = str(target or "")
    return text if text.startswith("/") and not text.startswith("//") else default


def _institution_names(request: Request, lang: str) -> dict[str, str]:
    return {
        institution.slug: localise(institution.name, lang) or institution.slug
        for institution in request.app.state.catalogue.list_institutions()
    }


def _delivery_names() -> dict[str, str]:
    return {kind: _(DELIVERY_NAMES[kind]) for kind in DELIVERIES}


def _choices(request: Request, lang: str) -> dict[str, Any]:
    return {
        "institutions": _institution_names(request, lang),
        "fields": [
            (uri.rsplit("/", 1)[1], text)
            for uri, text in choices("isced-f", lang)
            if len(uri.rsplit("/", 1)[1]) <= 2
        ],
        "eqf_levels": [(str(level), str(level)) for level in range(1, 9)],
        "schedules": [
            (uri.rsplit("/", 1)[1], text) for uri, text in choices("learning-schedule", lang)
        ],
        "deliveries": list(_delivery_names().items()),
        "profiles": [(profile.value, _(name)) for profile, name in PROFILE_NAMES.items()],
        "languages": choices("language", lang),
        "delivery_names": _delivery_names(),
        "today": datetime.now(UTC).date(),
        "date_text": lambda day: format_date(day, format="medium", locale=lang),
    }
