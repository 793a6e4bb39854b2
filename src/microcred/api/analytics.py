"""An institution's analytics as JSON: ``GET /api/institutions/{slug}/analytics``.

Counts of credentials issued, claimed, verified and revoked, and pathway completions, per
specification and month, with the checks per verification channel. For the institution's
administrators, auditors and registrars (``read-analytics``; a token needs the ``read``
scope). Optional ``since`` and ``until`` ("YYYY-MM") bound the months.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from microcred.http.access import activity_for
from microcred.services.analytics import InstitutionActivity

router = APIRouter(tags=["Analytics"])


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
