"""The course finder: search the published offers of every institution, ranked for a learner.

Only published specifications are found; the index follows the catalogue on every call
(cheaply: see index.py). A search returns the page of matches asked for, each with the
reasons it fits the learner's answers, and the total number of matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa

from microcred.domain.specification import Specification
from microcred.services.finder.guidance import Answers, fit, strongest_first, text_points
from microcred.services.finder.index import FinderIndex
from microcred.services.finder.query import FinderQuery
from microcred.services.finder.reasons import Reason
from microcred.services.finder.search import OFFER_COLUMNS, Offer, find_offers, offer_of
from microcred.services.finder.stacking import CourseContext, course_context
from microcred.store.catalogue_tables import SpecificationVersionRow
from microcred.store.database import Database
from microcred.store.finder_tables import FinderOfferRow


class CourseNotFound(LookupError):
    """No published offer has the id asked for."""


@dataclass(frozen=True)
class Match:
    """One offer found, with its specification and why it fits (best first)."""

    offer: Offer
    specification: Specification
    score: float
    reasons: list[Reason] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.offer.specification_id


@dataclass(frozen=True)
class Course:
    offer: Offer
    specification: Specification
    context: CourseContext


@dataclass(frozen=True)
class Results:
    total: int
    matches: list[Match]


class Finder:
    """Search and read the published offers of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.index = FinderIndex(db)

    def search(
        self, query: FinderQuery, answers: Answers | None = None, today: date | None = None
    ) -> Results:
        """Return the page of ``query``'s matches, ranked for ``answers`` (best first)."""
        self.index.refresh()
        today = today or datetime.now(UTC).date()
        answers = answers or Answers()
        with self.db.transaction(write=False) as session:
            offers = find_offers(session, query)
        guided = answers.given
        scored = []
        for offer in offers:
            reasons = fit(offer.facts, answers, today) if guided else []
            score = sum(reason.points for reason in reasons) + text_points(offer.relevance)
            scored.append((offer, score, reasons))
        scored.sort(key=lambda item: _rank_key(item[0], item[1]))
        page = scored[query.offset : query.offset + query.limit]
        documents = self._specifications([offer.version_id for offer, _, _ in page])
        matches = [
            Match(offer, documents[offer.version_id], score, strongest_first(reasons))
            for offer, score, reasons in page
        ]
        return Results(total=len(scored), matches=matches)

    def offer(self, spec_id: str) -> tuple[Offer, Specification]:
        """Return a published offer and its specification; raises CourseNotFound."""
        self.index.refresh()
        with self.db.transaction(write=False) as session:
            row = session.execute(
                sa.select(*OFFER_COLUMNS, sa.literal(0.0)).where(
                    FinderOfferRow.specification_id == spec_id
                )
            ).first()
            if row is None:
                raise CourseNotFound(f"no published course has the id {spec_id}")
            found = offer_of(row)
        return found, self._specifications([found.version_id])[found.version_id]

    def course(self, spec_id: str) -> Course:
        """Return a published course with what it stacks into and what comes before and after."""
        offer, spec = self.offer(spec_id)
        offers = self.all_offers()
        with self.db.transaction(write=False) as session:
            context = course_context(session, offer, spec, offers)
        return Course(offer, spec, context)

    def all_offers(self) -> list[Offer]:
        """Return every published offer, unranked."""
        self.index.refresh()
        with self.db.transaction(write=False) as session:
            return find_offers(session, FinderQuery())

    def specifications(self, offers: list[Offer]) -> dict[str, Specification]:
        """Return the specification of each offer, by specification id."""
        documents = self._specifications([offer.version_id for offer in offers])
        return {offer.specification_id: documents[offer.version_id] for offer in offers}

    def _specifications(self, version_ids: list[int]) -> dict[int, Specification]:
        if not version_ids:
            return {}
        with self.db.transaction(write=False) as session:
            rows = session.execute(
                sa.select(SpecificationVersionRow.id, SpecificationVersionRow.document).where(
                    SpecificationVersionRow.id.in_(version_ids)
                )
            )
            return {row_id: Specification.model_validate(doc) for row_id, doc in rows}


def _rank_key(offer: Offer, score: float) -> tuple[float, date, str]:
    """Best score first; among equals the earliest start, then a stable order."""
    start = offer.facts.starts[0] if offer.facts.starts else date.max
    return (-score, start, offer.specification_id)
