"""The SQL side of a search: the offers that pass every filter, each with its text relevance.

Full text: each query word must begin some word of the offer (in any language); matches in
the learner's language count fully, matches in another language (the fallback) count less.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

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
    title_json: str
    facts: OfferFacts
    relevance: float = 0.0

    @property
    def title(self) -> dict[str, str]:
        title: dict[str, str] = json.loads(self.title_json)
        return title


def find_offers(session: Session, query: FinderQuery) -> list[Offer]:
    """Return every offer matching ``query``'s words and filters (unranked, unpaged)."""
    relevance = _relevance(query)
    columns = [*OFFER_COLUMNS, relevance.c.relevance if relevance is not None else sa.literal(0.0)]
    statement = sa.select(*columns).where(*_filters(query))
    if relevance is not None:
        statement = statement.join(relevance, relevance.c.offer_id == Offers.id)
    # Plain rows, not ORM objects: a search may read thousands of them.
    return [offer_of(row) for row in session.execute(statement)]


def offer_of(row: Sequence[Any]) -> Offer:
    """Return the offer an index row (of ``OFFER_COLUMNS``, then a relevance) holds."""
    (spec_id, version_id, institution, title, *fact_values, relevance) = tuple(row)
    return Offer(spec_id, version_id, institution, title, facts_of(fact_values), float(relevance))


def facts_of(values: list[Any]) -> OfferFacts:
    """Return the facts held by the index columns of ``FACT_COLUMNS``, in that order."""
    (ects, hours, eqf, isced, skills, deliveries, synchronous, weekly_hours, weekly_stated,
     schedule, weeks, languages, price, currency, funded, starts, target_groups, targets,
     has_prerequisites, external_qa, relevance_stated) = values  # fmt: skip
    return OfferFacts(
        ects=ects,
        hours=hours,
        eqf=eqf,
        isced=tuple(isced.split()),
        skills=tuple(skills.split()),
        deliveries=tuple(deliveries.split()),
        synchronous=synchronous,
        weekly_hours=weekly_hours,
        weekly_hours_stated=weekly_stated,
        schedule=schedule,
        duration_weeks=weeks,
        languages=tuple(languages.split()),
        price=price,
        currency=currency,
        funded=funded,
        starts=tuple(map(date.fromisoformat, starts.split())),
        target_groups=tuple(target_groups.split()),
        stacking_targets=tuple(targets.split()),
        has_prerequisites=has_prerequisites,
        external_qa=external_qa,
        relevance_stated=relevance_stated,
    )


FACT_COLUMNS = (
    Offers.ects,
    Offers.hours,
    Offers.eqf,
    Offers.isced,
    Offers.skills,
    Offers.deliveries,
    Offers.synchronous,
    Offers.weekly_hours,
    Offers.weekly_hours_stated,
    Offers.schedule,
    Offers.duration_weeks,
    Offers.languages,
    Offers.price,
    Offers.currency,
    Offers.funded,
    Offers.starts,
    Offers.target_groups,
    Offers.stacking_targets,
    Offers.has_prerequisites,
    Offers.external_qa,
    Offers.relevance_stated,
)
# The title as its JSON text: decoded only for the offers shown (see Offer.title).
RAW_TITLE = sa.cast(Offers.title, sa.Text)
_OFFER_IDS = (Offers.specification_id, Offers.version_id, Offers.institution, RAW_TITLE)
OFFER_COLUMNS = (*_OFFER_IDS, *FACT_COLUMNS)


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
