"""The course finder's JSON: search with guidance, the open-data feed, and ELM exports.

- ``GET /api/courses``: published offers matching the filters, ranked for the questionnaire's
  answers (``profile``, ``hours``, ``budget``, ``level``, ``prefer``), each with its reasons in
  the request's language (``?lang=de``).
- ``GET /api/feed/courses.json``: every published offer as open data; its JSON Schema at
  ``/api/feed/courses.schema.json``.
- ``GET /api/courses/{spec_id}/elm``: one offer as an ELM v3 LearningOpportunity (JSON-LD).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from microcred.api.errors import problem_response, request_issue
from microcred.domain.specification import localise
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.learning_opportunity import render_learning_opportunity
from microcred.http.finder_search import read_search
from microcred.http.services import finder_of
from microcred.services.finder import CourseNotFound, Match
from microcred.services.finder.feed import CourseFeed, course_feed

router = APIRouter(tags=["course finder"])
JSON_LD = "application/ld+json"


@router.get("/api/courses")
def search_courses(request: Request) -> Response:
    """Search the published offers of every institution, ranked for the learner's answers."""
    lang: str = request.state.lang
    query, answers, errors = read_search(dict(request.query_params), lang)
    if query is None or answers is None:
        issues = [request_issue(f"query.{name}", m) for name, ms in errors.items() for m in ms]
        return problem_response(422, issues)
    results = finder_of(request).search(query, answers)
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "total": results.total,
            "limit": query.limit,
            "offset": query.offset,
            "courses": [_match_json(match, lang, base) for match in results.matches],
        }
    )


@router.get("/api/feed/courses.json", response_model=CourseFeed)
def feed(request: Request) -> CourseFeed:
    """Every published offer as open data (CC0), with links to its page and ELM export."""
    return course_feed(finder_of(request), request.app.state.settings.base_url)


@router.get("/api/feed/courses.schema.json")
def feed_schema() -> dict[str, Any]:
    """The JSON Schema of the course feed."""
    return CourseFeed.model_json_schema()


@router.get("/api/courses/{spec_id}/elm")
def elm_learning_opportunity(request: Request, spec_id: str) -> Response:
    """One published offer as an ELM v3 LearningOpportunity for the Europass portal."""
    try:
        offer, spec = finder_of(request).offer(spec_id)
    except CourseNotFound as missing:
        raise HTTPException(404, detail=str(missing)) from None
    base = request.app.state.settings.base_url.rstrip("/")
    try:
        document = render_learning_opportunity(
            spec,
            url=f"{base}/courses/{spec_id}",
            today=datetime.now(UTC).date(),
            schedule=offer.facts.schedule,
        )
    except ElmRenderError as error:
        return problem_response(409, [request_issue(error.where, error.message)])
    return JSONResponse(document, media_type=JSON_LD)


def _match_json(match: Match, lang: str, base: str) -> dict[str, Any]:
    facts = match.offer.facts
    return {
        "id": match.id,
        "url": f"{base}/courses/{match.id}",
        "elm_learning_opportunity": f"{base}/api/courses/{match.id}/elm",
        "title": localise(match.specification.title, lang),
        "institution": match.offer.institution,
        "score": match.score,
        "reasons": [
            {"text": reason.text(lang), "points": reason.points} for reason in match.reasons
        ],
        "ects": facts.ects,
        "eqf_level": facts.eqf,
        "weekly_hours": facts.weekly_hours,
        "duration_weeks": facts.duration_weeks,
        "delivery": list(facts.deliveries),
        "synchronous": facts.synchronous,
        "languages": list(facts.languages),
        "price": facts.price,
        "currency": facts.currency,
        "funded": facts.funded,
        "start_dates": [day.isoformat() for day in facts.starts],
    }
