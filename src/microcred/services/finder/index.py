"""Keeping the finder's index in step with the catalogue: one row per published specification.

The index is derived data. ``refresh`` compares a cheap stamp of the published versions (how
many, and the sum of their row ids) with the one seen last and, when it moved, adds the newly
published versions and drops the withdrawn or replaced ones; ``reindex`` rebuilds it whole.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.domain.specification import Specification
from microcred.domain.specification_status import SpecificationStatus
from microcred.services.finder.facts import OfferFacts, offer_facts
from microcred.services.finder.words import weighted_words
from microcred.store.catalogue_tables import (
    InstitutionRow,
    SpecificationRow,
    SpecificationVersionRow,
)
from microcred.store.database import Database
from microcred.store.finder_tables import FinderOfferRow, FinderStartRow, FinderWordRow
from microcred.store.search_columns import delimited

TITLE_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
BATCH = 500
Stamp = tuple[int, int]


class FinderIndex:
    """The finder's index of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._stamp: Stamp | None = None
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Bring the index up to date with the catalogue; True when anything changed."""
        with self.db.transaction(write=False) as session:
            if _published_stamp(session) == self._stamp:
                return False
        with self._lock, self.db.transaction() as session:
            changed = sync(session)
            self._stamp = _published_stamp(session)
        return changed

    def reindex(self) -> int:
        """Rebuild the index from the catalogue; return how many offers it holds."""
        with self._lock, self.db.transaction() as session:
            session.execute(sa.delete(FinderWordRow))
            session.execute(sa.delete(FinderStartRow))
            session.execute(sa.delete(FinderOfferRow))
            sync(session)
            self._stamp = _published_stamp(session)
            return session.scalar(sa.select(sa.func.count()).select_from(FinderOfferRow)) or 0


def sync(session: Session) -> bool:
    """Add the published versions the index lacks and drop those no longer published."""
    published = set(
        session.scalars(
            sa.select(SpecificationVersionRow.id).where(
                SpecificationVersionRow.status == SpecificationStatus.published
            )
        )
    )
    indexed = set(session.scalars(sa.select(FinderOfferRow.version_id)))
    gone = indexed - published
    new = sorted(published - indexed)
    if gone:
        session.execute(sa.delete(FinderOfferRow).where(FinderOfferRow.version_id.in_(gone)))
        session.flush()
    for start in range(0, len(new), BATCH):
        _add_offers(session, new[start : start + BATCH])
    return bool(gone or new)


def _published_stamp(session: Session) -> Stamp:
    count, total = session.execute(
        sa.select(
            sa.func.count(SpecificationVersionRow.id),
            sa.func.coalesce(sa.func.sum(SpecificationVersionRow.id), 0),
        ).where(SpecificationVersionRow.status == SpecificationStatus.published)
    ).one()
    return int(count), int(total)


def _add_offers(session: Session, version_ids: list[int]) -> None:
    rows = session.execute(
        sa.select(SpecificationVersionRow, InstitutionRow.slug, InstitutionRow.name)
        .join(SpecificationRow, SpecificationVersionRow.specification_id == SpecificationRow.id)
        .join(InstitutionRow, SpecificationRow.institution_id == InstitutionRow.id)
        .where(SpecificationVersionRow.id.in_(version_ids))
    )
    words: list[dict[str, Any]] = []
    starts: list[dict[str, Any]] = []
    for version, slug, institution_name in rows:
        spec = Specification.model_validate(version.document)
        facts = offer_facts(spec)
        offer = FinderOfferRow(
            specification_id=version.specification_id,
            version_id=version.id,
            institution=slug,
            title=dict(spec.title),
            published_at=version.published_at,
            **offer_columns(facts),
        )
        session.add(offer)
        session.flush()
        for lang, weights in offer_words(spec, institution_name.values()).items():
            words += [
                {"word": word, "offer_id": offer.id, "lang": lang, "weight": weight}
                for word, weight in weights.items()
            ]
        starts += [{"offer_id": offer.id, "start_date": day} for day in facts.starts]
    if words:
        session.execute(sa.insert(FinderWordRow), words)
    if starts:
        session.execute(sa.insert(FinderStartRow), starts)


def offer_columns(facts: OfferFacts) -> dict[str, Any]:
    """Return the index columns holding ``facts``."""
    return {
        "ects": facts.ects,
        "hours": facts.hours,
        "eqf": facts.eqf,
        "isced": delimited(facts.isced),
        "skills": delimited(facts.skills),
        "deliveries": delimited(facts.deliveries),
        "synchronous": facts.synchronous,
        "weekly_hours": facts.weekly_hours,
        "weekly_hours_stated": facts.weekly_hours_stated,
        "schedule": facts.schedule,
        "duration_weeks": facts.duration_weeks,
        "languages": delimited(facts.languages),
        "price": facts.price,
        "currency": facts.currency,
        "funded": facts.funded,
        "starts": delimited(day.isoformat() for day in facts.starts),
        "target_groups": delimited(facts.target_groups),
        "stacking_targets": delimited(facts.stacking_targets),
        "has_prerequisites": facts.has_prerequisites,
        "external_qa": facts.external_qa,
        "relevance_stated": facts.relevance_stated,
    }


def offer_words(spec: Specification, neutral: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """Return, per language of the offer's texts, its words with their weights.

    Titles weigh most; descriptions, outcomes and the local label count once. ``neutral``
    texts (the institution's names) are searchable in every language.
    """
    languages = {*spec.title, *spec.description}
    for outcome in spec.learning_outcomes:
        languages.update(outcome.text)
    shared = [(text, TEXT_WEIGHT) for text in [*neutral, spec.local_label or ""] if text]
    return {
        lang: weighted_words(
            [
                (spec.title.get(lang, ""), TITLE_WEIGHT),
                (spec.description.get(lang, ""), TEXT_WEIGHT),
                *((outcome.text.get(lang, ""), TEXT_WEIGHT) for outcome in spec.learning_outcomes),
                *shared,
            ]
        )
        for lang in sorted(languages)
    }
