"""Reads both faces serve only to those allowed: an institution's analytics, a recognition case.

Each checks who asks before answering, with the refusals of ``http.auth`` (401, 404, 403), so
the JSON API and the pages refuse the same people the same way.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from microcred.domain.accounts import Action
from microcred.http.auth import Target, authorize, signed_in
from microcred.http.services import recognition_of
from microcred.i18n import _
from microcred.services.analytics import InstitutionActivity, checked_month, institution_activity
from microcred.services.catalogue import InstitutionNotFound
from microcred.services.recognition import CaseNotFound, RecognitionCase


def activity_for(
    request: Request, institution: str, since: str | None, until: str | None
) -> InstitutionActivity:
    """Return the institution's activity for someone allowed to read it.

    Anonymous gets 401 (or the login page), an unknown institution 404, someone without
    ``read-analytics`` there 403, a month not written as YYYY-MM 422 naming the parameter.
    """
    signed_in(request)
    try:
        first = checked_month(since, "since") if since else None
        last = checked_month(until, "until") if until else None
    except ValueError as error:
        raise HTTPException(422, detail=str(error)) from error
    if first and last and first > last:
        raise HTTPException(422, detail=_("since ({since}) comes after until ({until})").format(
            since=first, until=last))  # fmt: skip
    known = {item.slug for item in request.app.state.catalogue.list_institutions()}
    if institution not in known:
        raise HTTPException(404, detail=_("No institution has the slug {slug}.").format(
            slug=institution))  # fmt: skip
    authorize(request, Action.read_analytics, Target(institution))
    recorder = getattr(request.app.state, "verification_recorder", None)
    if recorder is not None:  # checks answered before this request count
        recorder.flush()
    try:
        return institution_activity(
            request.app.state.database,
            institution,
            since=first,
            until=last,
            lang=getattr(request.state, "lang", "en"),
        )
    except InstitutionNotFound as error:  # removed between the two reads
        raise HTTPException(404, detail=str(error)) from error


def case_in_reach(request: Request, case_id: str) -> RecognitionCase:
    """Return a case the asker may decide; others' cases read as missing (404)."""
    try:
        case = recognition_of(request).get(case_id)
    except CaseNotFound as error:
        raise HTTPException(404, detail=str(error)) from error
    authorize(request, Action.decide_recognition, Target(case.institution, public=False))
    return case
