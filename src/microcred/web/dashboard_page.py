"""The staff dashboard, where a designer or registrar lands after signing in.

``GET /dashboard`` shows what the signed-in person's roles let them act on: the drafts of
the institutions they design for (first, since a designer comes back to finish one), and for
registrars the specifications they can award, the latest awards and the latest bulk jobs.
Someone without a staff role is sent to their wallet instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microcred.domain.accounts import Action, Principal
from microcred.domain.specification_status import SpecificationStatus
from microcred.http.auth import signed_in
from microcred.http.services import awards_of, catalogue_of
from microcred.jobs.model import JobView, recent_jobs
from microcred.services.awards import AwardRecord
from microcred.services.catalogue import SpecificationNotFound, SpecificationRecord
from microcred.services.catalogue_query import CatalogueQuery
from microcred.web.bulk_pages import kind_names
from microcred.web.staff_access import institutions_for, is_staff
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
SHOWN = 10


@dataclass(frozen=True)
class Dashboard:
    """What one person's dashboard lists, each part empty when their roles do not reach it."""

    drafts: list[SpecificationRecord]
    awardable: list[SpecificationRecord]
    awards: list[AwardRecord]
    jobs: list[JobView]
    titles: dict[str, Any]  # the title of each specification an award or a job names
    designs: bool  # may design somewhere (the drafts part is shown, even empty)
    issues: bool  # may award somewhere (the awards and jobs parts are shown)
    lms: list[str]  # the institutions whose LMS courses (LTI) this person may sync


def dashboard_of(request: Request, principal: Principal) -> Dashboard:
    """Return the drafts, awardable specifications, awards and jobs ``principal`` may see."""
    designs_at = institutions_for(request, principal, Action.edit_specification)
    issues_at = institutions_for(request, principal, Action.issue)
    catalogue = catalogue_of(request)
    drafts = [
        record
        for slug in designs_at
        for record in catalogue.search(
            CatalogueQuery(status=SpecificationStatus.draft, institution=slug), designs_at
        )
    ]
    awardable = [
        record
        for slug in issues_at
        for record in catalogue.search(
            CatalogueQuery(status=SpecificationStatus.published, institution=slug)
        )
    ]
    awards = awards_of(request)
    latest = [award for slug in issues_at for award in awards.list(slug, limit=SHOWN)]
    jobs = [job for slug in issues_at for job in recent_jobs(awards.db, slug, limit=SHOWN)]
    latest = sorted(latest, key=lambda award: award.created_at, reverse=True)[:SHOWN]
    jobs = sorted(jobs, key=lambda job: job.created_at, reverse=True)[:SHOWN]
    named = {award.specification_id for award in latest}
    named |= {str(job.payload.get("spec_id")) for job in jobs}
    titles = {record.id: record.specification.title for record in awardable}
    for spec_id in named - titles.keys():
        try:
            titles[spec_id] = catalogue.get(spec_id).specification.title
        except SpecificationNotFound:
            continue
    return Dashboard(
        drafts=sorted(drafts, key=lambda record: record.updated_at, reverse=True),
        awardable=awardable,
        awards=latest,
        jobs=jobs,
        titles=titles,
        designs=bool(designs_at),
        issues=bool(issues_at),
        lms=issues_at,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, principal: Principal = Depends(signed_in)) -> Response:
    if not is_staff(principal):
        return RedirectResponse("/wallet", status_code=303)
    board = dashboard_of(request, principal)
    context = {"nav": "dashboard", "board": board, "kind_names": kind_names()}
    return render(request, "dashboard.html", context)
