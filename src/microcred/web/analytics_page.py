"""The analytics dashboard of an institution: ``/analytics?institution=slug``.

Credentials issued, claimed, verified and revoked, and pathway completions, over time and per
specification, with the checks per verification channel: each chart drawn on the server as
SVG with the same numbers in a table beside it, and the whole as CSV. Counts only; nothing
about a learner. For the institution's administrators, auditors and registrars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from microcred.domain.accounts import Action, Principal
from microcred.http.access import activity_for
from microcred.i18n import _
from microcred.reports.activity_charts import grouped_bars, monthly_columns
from microcred.reports.activity_tables import activity_table, month_table, specification_table
from microcred.reports.figure import Figure
from microcred.reports.mapping_tables import Cell
from microcred.reports.spreadsheets import table_csv
from microcred.reports.svg import figure_svg
from microcred.services.analytics import MEASURES, InstitutionActivity
from microcred.web.staff_access import institutions_for, staff_for
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
readers = staff_for(Action.read_analytics)


def measure_labels() -> dict[str, str]:
    return {
        "issued": _("Issued"),
        "claimed": _("Claimed"),
        "verified": _("Verified"),
        "revoked": _("Revoked"),
        "stacked": _("Pathways completed"),
    }


def channel_labels() -> dict[str, str]:
    return {
        "api": _("Verifier API"),
        "page": _("Verify page"),
        "public-page": _("Public credential page"),
        "wallet": _("Wallet verifier"),
    }


@dataclass(frozen=True)
class Section:
    """One part of the dashboard: a chart and the table of the same numbers."""

    id: str
    title: str
    intro: str
    figure: Figure
    headers: list[str]
    rows: list[list[Cell]]

    @property
    def svg(self) -> Markup:
        return Markup(figure_svg(self.figure))


def sections(activity: InstitutionActivity) -> list[Section]:
    labels = measure_labels()
    measures = [labels[measure] for measure in MEASURES]
    over_time = [
        (labels[m], [getattr(activity.by_month[month], m) for month in activity.months])
        for m in MEASURES
    ]
    per_spec = [
        (labels[m], [getattr(item.totals, m) for item in activity.specifications]) for m in MEASURES
    ]
    channels = channel_labels()
    checks = [
        (_("Verified"), [count.verified for count in activity.channels]),
        (_("Failed (revoked, suspended, expired)"), [count.failed for count in activity.channels]),
    ]
    channel_names = [channels[count.channel] for count in activity.channels]
    return [
        Section(
            "over-time",
            _("Over time"),
            _(
                "Each month: credentials issued, claimed by their learner, verified, revoked, "
                "and pathways completed."
            ),
            monthly_columns(
                "chart-over-time",
                _("Activity per month"),
                _("Columns per month for each measure; the table beside gives the numbers."),
                activity.months,
                over_time,
            ),
            [_("Month"), *measures],
            month_table(activity).rows,
        ),
        Section(
            "per-specification",
            _("Per specification"),
            _(
                "Totals of the months shown, per micro-credential; completed pathways count on "
                "the stacked credential's specification."
            ),
            grouped_bars(
                "chart-per-specification",
                _("Activity per specification"),
                _("A group of bars per specification, one bar per measure."),
                [item.title for item in activity.specifications],
                per_spec,
            ),
            [_("Specification"), *measures],
            specification_table(activity).rows,
        ),
        Section(
            "channels",
            _("Verifications by channel"),
            _(
                "Checks of this institution's credentials by our verifier and public pages. A "
                "failed check of a genuine credential means it was revoked, suspended or "
                "expired."
            ),
            grouped_bars(
                "chart-channels",
                _("Checks per channel"),
                _("Verified and failed checks per channel."),
                channel_names,
                checks,
            ),
            [_("Channel"), _("Verified"), _("Failed")],
            [[channels[c.channel], c.verified, c.failed] for c in activity.channels],
        ),
    ]


def _query(institution: str, since: str | None, until: str | None) -> str:
    pairs = [("institution", institution)]
    pairs += [(name, value) for name, value in (("since", since), ("until", until)) if value]
    return urlencode(pairs)


@router.get("/analytics", response_class=HTMLResponse)
def analytics_page(
    request: Request,
    institution: str | None = None,
    since: str | None = None,
    until: str | None = None,
    principal: Principal = Depends(readers),
) -> HTMLResponse:
    allowed = institutions_for(request, principal, Action.read_analytics)
    if institution is None and len(allowed) != 1:
        return render(request, "analytics_choose.html", {"nav": "analytics", "allowed": allowed})
    slug = institution or allowed[0]
    activity = activity_for(request, slug, since, until)
    context: dict[str, Any] = {
        "nav": "analytics",
        "activity": activity,
        "labels": measure_labels(),
        "measures": MEASURES,
        "sections": sections(activity) if activity.months else [],
        # The fields show the months on the page, so they never read as empty dashes.
        "since": since or (activity.months[0] if activity.months else ""),
        "until": until or (activity.months[-1] if activity.months else ""),
        "csv_link": "/analytics/activity.csv?" + _query(slug, since, until),
        "allowed": allowed,
    }
    return render(request, "analytics.html", context)


@router.get("/analytics/activity.csv", dependencies=[Depends(readers)])
def analytics_csv(
    request: Request, institution: str, since: str | None = None, until: str | None = None
) -> Response:
    activity = activity_for(request, institution, since, until)
    filename = f"analytics-{activity.institution}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    csv = table_csv(activity_table(activity))
    return Response(csv, media_type="text/csv; charset=utf-8", headers=headers)
