"""An institution's activity, counted per specification and month: credentials issued,
claimed, verified and revoked, and pathways completed (stacked credentials).

Every figure is a count read from where the thing happened (issued_credentials, the claim
table, verification_events, pathway_awards); nothing about a learner is read or returned.

- issued: credentials signed, by their issue time;
- claimed: credentials whose learner confirmed the claim link, by the confirmation time;
- verified: checks by our verifier or a public page that verified, by day;
- revoked: credentials revoked, by the revocation time;
- stacked: pathway completions, counted on the pathway's target specification.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from microcred.domain.specification import localise
from microcred.services.analytics.months import month_of, months_between
from microcred.services.catalogue import InstitutionNotFound
from microcred.store.analytics_tables import CHANNELS, VerificationEventRow
from microcred.store.catalogue_tables import InstitutionRow, SpecificationVersionRow
from microcred.store.database import Database
from microcred.store.delivery_tables import CredentialClaimRow
from microcred.store.pathway_tables import PathwayAwardRow, PathwayRow
from microcred.store.status_tables import IssuedCredentialRow

MEASURES = ("issued", "claimed", "verified", "revoked", "stacked")
FAILED = "failed"


class Counts(BaseModel):
    """The five counts of one specification, one month, or both."""

    issued: int = 0
    claimed: int = 0
    verified: int = 0
    revoked: int = 0
    stacked: int = 0

    def add(self, other: Counts) -> None:
        for measure in MEASURES:
            setattr(self, measure, getattr(self, measure) + getattr(other, measure))

    def values(self) -> list[int]:
        return [getattr(self, measure) for measure in MEASURES]


class SpecificationActivity(BaseModel):
    """One specification: its title, its totals, and its counts month by month."""

    specification_id: str
    title: str
    totals: Counts
    by_month: dict[str, Counts]


class ChannelCount(BaseModel):
    """Checks through one channel: how many verified, how many failed (revoked, expired...)."""

    channel: str
    verified: int = 0
    failed: int = 0


class InstitutionActivity(BaseModel):
    """The analytics of one institution over a span of months (empty: nothing happened)."""

    institution: str
    institution_name: str
    months: list[str]
    totals: Counts
    by_month: dict[str, Counts]
    specifications: list[SpecificationActivity]
    channels: list[ChannelCount]
    credentials_verified: int = Field(description="distinct credentials verified at least once")


Key = tuple[str, str]  # (specification id, month)


def institution_activity(
    database: Database,
    institution: str,
    *,
    since: str | None = None,
    until: str | None = None,
    lang: str = "en",
) -> InstitutionActivity:
    """Return the activity of ``institution`` (a slug) in the months ``since``..``until``
    ("YYYY-MM", both inclusive, both optional); raises `InstitutionNotFound`."""
    with database.transaction(write=False) as session:
        row = session.scalar(sa.select(InstitutionRow).where(InstitutionRow.slug == institution))
        if row is None:
            raise InstitutionNotFound(f"no institution has the slug {institution!r}")
        counts = _counts(session, row.id)
        wanted = {key: value for key, value in counts.items() if _within(key[1], since, until)}
        titles = _titles(session, {spec for spec, _month in wanted}, lang)
        channels = _channels(session, row.id, since, until)
        distinct = _distinct_verified(session, row.id, since, until)
        name = localise(row.name, lang)
    return _assemble(institution, name, wanted, titles, channels, distinct)


def _within(month: str, since: str | None, until: str | None) -> bool:
    return (since is None or month >= since) and (until is None or month <= until)


def _counts(session: Session, institution_id: int) -> dict[Key, Counts]:
    counts: dict[Key, Counts] = defaultdict(Counts)
    issued = IssuedCredentialRow
    queries: dict[str, sa.Select[Any]] = {
        "issued": _grouped(issued.specification_id, issued.issued_at).where(
            issued.institution_id == institution_id
        ),
        "claimed": _grouped(issued.specification_id, CredentialClaimRow.confirmed_at)
        .select_from(CredentialClaimRow)
        .join(issued, issued.id == CredentialClaimRow.credential_id)
        .where(
            issued.institution_id == institution_id, CredentialClaimRow.confirmed_at.is_not(None)
        ),
        "revoked": _grouped(issued.specification_id, issued.revoked_at).where(
            issued.institution_id == institution_id, issued.revoked_at.is_not(None)
        ),
        "verified": _grouped(VerificationEventRow.specification_id, VerificationEventRow.day).where(
            VerificationEventRow.institution_id == institution_id,
            VerificationEventRow.result != FAILED,
        ),
        "stacked": _grouped(PathwayRow.target_specification_id, PathwayAwardRow.created_at)
        .select_from(PathwayAwardRow)
        .join(PathwayRow, PathwayRow.id == PathwayAwardRow.pathway_id)
        .where(PathwayRow.institution_id == institution_id),
    }
    for measure, query in queries.items():
        for specification_id, month, count in session.execute(query):
            if specification_id is not None:
                counter = counts[(specification_id, month)]
                setattr(counter, measure, getattr(counter, measure) + count)
    return counts


def _grouped(specification: Any, moment: Any) -> sa.Select[Any]:
    month = month_of(moment)
    return sa.select(specification, month, sa.func.count()).group_by(specification, month)


def _titles(session: Session, specification_ids: set[str], lang: str) -> dict[str, str]:
    """Return each specification's title, from its newest version."""
    if not specification_ids:
        return {}
    version = SpecificationVersionRow
    rows = session.execute(
        sa.select(version.specification_id, version.document)
        .where(version.specification_id.in_(specification_ids))
        .order_by(version.version)
    )
    titles = {}
    for specification_id, document in rows:  # the newest version is read last and wins
        title = localise(document.get("title") or {}, lang)
        titles[str(specification_id)] = title or str(specification_id)
    return titles


def _event_filter(institution_id: int, since: str | None, until: str | None) -> list[Any]:
    event = VerificationEventRow
    conditions: list[Any] = [event.institution_id == institution_id]
    if since is not None:
        conditions.append(month_of(event.day) >= since)
    if until is not None:
        conditions.append(month_of(event.day) <= until)
    return conditions


def _channels(
    session: Session, institution_id: int, since: str | None, until: str | None
) -> list[ChannelCount]:
    event = VerificationEventRow
    found = {channel: ChannelCount(channel=channel) for channel in CHANNELS}
    query = (
        sa.select(event.channel, event.result, sa.func.count())
        .where(*_event_filter(institution_id, since, until))
        .group_by(event.channel, event.result)
    )
    for channel, result, count in session.execute(query):
        if result == FAILED:
            found[channel].failed += count
        else:
            found[channel].verified += count
    return list(found.values())


def _distinct_verified(
    session: Session, institution_id: int, since: str | None, until: str | None
) -> int:
    event = VerificationEventRow
    query = sa.select(sa.func.count(sa.distinct(event.credential_hash))).where(
        *_event_filter(institution_id, since, until), event.result != FAILED
    )
    return session.scalar(query) or 0


def _assemble(
    institution: str,
    name: str,
    counts: dict[Key, Counts],
    titles: dict[str, str],
    channels: list[ChannelCount],
    distinct: int,
) -> InstitutionActivity:
    months = _span({month for _spec, month in counts})
    totals, by_month = Counts(), {month: Counts() for month in months}
    per_spec: dict[str, SpecificationActivity] = {}
    for (specification_id, month), count in sorted(counts.items()):
        activity = per_spec.setdefault(
            specification_id,
            SpecificationActivity(
                specification_id=specification_id,
                title=titles.get(specification_id, specification_id),
                totals=Counts(),
                by_month={},
            ),
        )
        activity.by_month[month] = count
        activity.totals.add(count)
        by_month[month].add(count)
        totals.add(count)
    specifications = sorted(per_spec.values(), key=lambda item: (-item.totals.issued, item.title))
    return InstitutionActivity(
        institution=institution,
        institution_name=name,
        months=months,
        totals=totals,
        by_month=by_month,
        specifications=specifications,
        channels=channels,
        credentials_verified=distinct,
    )


def _span(months: Iterable[str]) -> list[str]:
    """Return every month from the first to the last one given, gaps included."""
    present = sorted(months)
    return months_between(present[0], present[-1]) if present else []
