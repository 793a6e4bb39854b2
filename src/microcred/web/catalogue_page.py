"""The catalogue page: search micro-credentials and see their EU elements at a glance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from microcred.domain.specification import localise
from microcred.domain.vocabularies import choices
from microcred.http.services import catalogue_of
from microcred.http.visibility import visible_search
from microcred.services.catalogue import CatalogueQuery
from microcred.web.templating import render
from microcred.web.views import status_names

router = APIRouter(include_in_schema=False)

SEARCH_FIELDS = ("text", "isced_f", "eqf", "ects_min", "ects_max", "mode", "status", "institution")


def _broad_fields(lang: str) -> list[tuple[str, str]]:
    """Return the ISCED-F broad and narrow fields (2 and 3 digits) for the search form."""
    return [
        (uri.rsplit("/", 1)[1], text)
        for uri, text in choices("isced-f", lang)
        if len(uri.rsplit("/", 1)[1]) <= 3
    ]


@router.get("/", response_class=HTMLResponse)
def catalogue(request: Request) -> HTMLResponse:
    lang: str = request.state.lang
    asked = {name: request.query_params.get(name, "") for name in SEARCH_FIELDS}
    errors: dict[str, list[str]] = {}
    try:
        query = CatalogueQuery.model_validate(asked)
    except ValidationError as invalid:
        for problem in invalid.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "text"
            errors.setdefault(name, []).append(problem["msg"].removeprefix("Value error, "))
        query = None
    catalogue = catalogue_of(request)
    records = visible_search(request, query) if query is not None else []
    institutions = {
        institution.slug: localise(institution.name, lang) or institution.slug
        for institution in catalogue.list_institutions()
    }
    return render(
        request,
        "catalogue.html",
        {
            "nav": "catalogue",
            "asked": asked,
            "errors": errors,
            "records": records,
            "institutions": institutions,
            "status_names": status_names(),
            "fields": _broad_fields(lang),
            "eqf_levels": [(str(level), str(level)) for level in range(1, 9)],
            "modes": choices("learning-mode", lang),
        },
        status_code=422 if errors else 200,
    )
