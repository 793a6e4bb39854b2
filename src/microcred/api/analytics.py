"""An institution's analytics as JSON: ``GET /api/institutions/{slug}/analytics``.

Counts of credentials issued, claimed, verified and revoked, and pathway completions, per
specification and month, with the checks per verification channel. For the institution's
administrators, auditors and registrars (``read-analytics``; a token needs the ``read``
scope). Optional ``since`` and ``until`` ("YYYY-MM") bound the months.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from microcred.api.auth import Target, authorize, signed_in
from microcred.domain.accounts import Action
from microcred.i18n import _
from microcred.services.analytics import InstitutionActivity, checked_month, institution_activity
from microcred.services.catalogue import InstitutionNotFound

router = APIRouter(tags=["Analytics"])


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


@router.get(
    "/api/institutions/{slug}/analytics",
    response_model=InstitutionActivity,
    summary="Credentials issued, claimed, verified, revoked and stacked, per specification "
    "and month",
)
def institution_analytics(
    slug: str, request: Request, since: str | None = None, until: str | None = None
) -> InstitutionActivity:
    return activity_for(request, slug, since, until)
