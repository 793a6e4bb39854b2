"""The SQL side of a search: the offers that pass every filter, each with its text relevance.

Full text: each query word must begin some word of the offer (in any language); matches in
the learner's language count fully, matches in another language (the fallback) count less.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.services.finder.facts import OfferFacts
from microcred.services.finder.query import FinderQuery
from microcred.services.finder.words import words
from microcred.store.finder_tables import FinderOfferRow, FinderStartRow, FinderWordRow
from microcred.store.search import _contains

OTHER_LANGUAGE = 0.6  # how much a match in another language than the learner's counts
MAX_QUERY_WORDS = 8
Offers = FinderOfferRow


@dataclass(frozen=True)
class Offer:
    """One published offer as the index holds it."""

    specification_id: str
    version_id: int
    institution: str
    title: dict[str, str]
    facts: OfferFacts
    relevance: float = 0.0


def find_offers(session: Session, query: FinderQuery) -> list[Offer]:
    """Return every offer matching ``query``'s words and filters (unranked, unpaged)."""
    relevance = _relevance(query)
    columns = [Offers, relevance.c.relevance] if relevance is not None else [Offers]
    statement = sa.select(*columns).where(*_filters(query))
    if relevance is not None:
        statement = statement.join(relevance, relevance.c.offer_id == Offers.id)
    offers = []
    for row in session.execute(statement):
        offers.append(offer_of(row[0], float(row[1]) if relevance is not None else 0.0))
    return offers


def offer_of(row: FinderOfferRow, relevance: float = 0.0) -> Offer:
    return Offer(
        specification_id=row.specification_id,
        version_id=row.version_id,
        institution=row.institution,
        title=row.title,
        facts=facts_of(row),
        relevance=relevance,
    )


def facts_of(row: FinderOfferRow) -> OfferFacts:
    """Return the facts an index row holds."""
    return OfferFacts(
        ects=row.ects,
        hours=row.hours,
        eqf=row.eqf,
        isced=tuple(row.isced.split()),
        skills=tuple(row.skills.split()),
        deliveries=tuple(row.deliveries.split()),
        synchronous=row.synchronous,
        weekly_hours=row.weekly_hours,
        weekly_hours_stated=row.weekly_hours_stated,
        schedule=row.schedule,
        duration_weeks=row.duration_weeks,
        languages=tuple(row.languages.split()),
        price=row.price,
        currency=row.currency,
        funded=row.funded,
        starts=tuple(date.fromisoformat(day) for day in row.starts.split()),
        target_groups=tuple(row.target_groups.split()),
        stacking_targets=tuple(row.stacking_targets.split()),
        has_prerequisites=row.has_prerequisites,
        external_qa=row.external_qa,
        relevance_stated=row.relevance_stated,
    )


def _filters(query: FinderQuery) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    if query.isced_f:
        found.append(_contains(Offers.isced, f" {query.isced_f}"))
    if query.skill:
        found.append(_contains(Offers.skills, f" {query.skill} "))
    if query.eqf is not None:
        found.append(Offers.eqf == query.eqf)
    if query.ects_min is not None:
        found.append(Offers.ects >= query.ects_min)
    if query.ects_max is not None:
        found.append(Offers.ects <= query.ects_max)
    if query.weeks_max is not None:
        found.append(Offers.duration_weeks <= query.weeks_max)
    if query.hours_max is not None:
        found.append(Offers.weekly_hours <= query.hours_max)
    if query.schedule:
        found.append(Offers.schedule == query.schedule)
    if query.starts_from is not None or query.starts_until is not None:
        found.append(_starts_between(query.starts_from, query.starts_until))
    if query.delivery:
        found.append(_contains(Offers.deliveries, f" {query.delivery} "))
    if query.synchronous is not None:
        found.append(Offers.synchronous.is_(query.synchronous))
    if query.language:
        found.append(_contains(Offers.languages, f" {query.language} "))
    if query.price_max is not None:
        within = Offers.price <= query.price_max
        found.append(sa.or_(within, Offers.funded.is_(True)) if query.funded else within)
    elif query.funded:
        found.append(sa.or_(Offers.price == 0, Offers.funded.is_(True)))
    if query.institution:
        found.append(Offers.institution == query.institution)
    return found


def _starts_between(first: date | None, last: date | None) -> sa.ColumnElement[bool]:
    starts = sa.select(FinderStartRow.offer_id).where(FinderStartRow.offer_id == Offers.id)
    if first is not None:
        starts = starts.where(FinderStartRow.start_date >= first)
    if last is not None:
        starts = starts.where(FinderStartRow.start_date <= last)
    return starts.exists()


def _relevance(query: FinderQuery) -> sa.Subquery | None:
    """Return (offer_id, relevance) of the offers holding every query word, or None."""
    wanted = list(dict.fromkeys(words(query.text or "")))[:MAX_QUERY_WORDS]
    if not wanted:
        return None
    weight = FinderWordRow.weight * sa.case(
        (FinderWordRow.lang == query.lang, 1.0), else_=OTHER_LANGUAGE
    )
    per_word = [
        sa.select(FinderWordRow.offer_id, sa.func.max(weight).label("score"))
        .where(FinderWordRow.word >= word, FinderWordRow.word < _after_prefix(word))
        .group_by(FinderWordRow.offer_id)
        .subquery(f"w{index}")
        for index, word in enumerate(wanted)
    ]
    first = per_word[0]
    total = sum((part.c.score for part in per_word[1:]), first.c.score)
    statement = sa.select(first.c.offer_id, total.label("relevance"))
    for part in per_word[1:]:
        statement = statement.join(part, part.c.offer_id == first.c.offer_id)
    return statement.subquery("relevance")


def _after_prefix(word: str) -> str:
    """Return the first string after every string that begins with ``word``."""
    return word[:-1] + chr(ord(word[-1]) + 1)
