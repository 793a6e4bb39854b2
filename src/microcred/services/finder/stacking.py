"""What a course adds up to: the pathways it stacks into, and what comes before or after it.

- Pathways: those whose requirement names the course as a component, in the order listed
  there; and the larger credentials the specification itself names as stacking targets
  (other published courses naming the same target share that pathway), in EQF then ECTS order.
- Before and after: the other courses of those pathways, split at the course's place; and
  published courses sharing an ESCO skill at a lower EQF level (before) or a higher one (after).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.domain.pathways import Pathway, component_ids
from microcred.domain.specification import Specification
from microcred.services.finder.search import Offer
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.pathway_tables import PathwayRow

PATHWAY, TARGET = "pathway", "target"


@dataclass(frozen=True)
class PathwayLink:
    """A larger credential the course counts toward, with the courses on the way, in order."""

    kind: str  # "pathway" (a stacking pathway of this instance) or "target" (named by the course)
    ref: str  # the pathway id, or the stacking target's id
    title: dict[str, str]
    steps: list[Offer] = field(default_factory=list)
    ects_recognised: float | None = None


@dataclass(frozen=True)
class CourseContext:
    pathways: list[PathwayLink]
    before: list[Offer]
    after: list[Offer]


def course_context(
    session: Session, offer: Offer, spec: Specification, offers: list[Offer]
) -> CourseContext:
    """Return the pathways ``offer`` stacks into and the courses before and after it."""
    by_id = {other.specification_id: other for other in offers}
    links = _pathway_links(session, offer, by_id) + _target_links(offer, spec, offers)
    before: dict[str, Offer] = {}
    after: dict[str, Offer] = {}
    for link in links:
        ids = [step.specification_id for step in link.steps]
        if offer.specification_id not in ids:
            continue
        place = ids.index(offer.specification_id)
        before.update((step.specification_id, step) for step in link.steps[:place])
        after.update((step.specification_id, step) for step in link.steps[place + 1 :])
    for other in _sharing_skills(offer, offers):
        side = before if (other.facts.eqf or 0) < (offer.facts.eqf or 0) else after
        if other.specification_id not in before and other.specification_id not in after:
            side[other.specification_id] = other
    return CourseContext(links, list(before.values()), list(after.values()))


def _pathway_links(session: Session, offer: Offer, by_id: dict[str, Offer]) -> list[PathwayLink]:
    rows = session.execute(
        sa.select(PathwayRow, InstitutionRow.slug).join(
            InstitutionRow, InstitutionRow.id == PathwayRow.institution_id
        )
    )
    links = []
    for row, slug in rows:
        pathway = Pathway.model_validate(
            {
                "id": row.id,
                "institution": slug,
                "title": row.title,
                "target_specification_id": row.target_specification_id,
                "requirement": row.requirement,
            }
        )
        components = component_ids(pathway.requirement)
        if offer.specification_id in components:
            steps = [by_id[spec_id] for spec_id in components if spec_id in by_id]
            links.append(PathwayLink(PATHWAY, pathway.id, dict(pathway.title), steps))
    return links


def _target_links(offer: Offer, spec: Specification, offers: list[Offer]) -> list[PathwayLink]:
    links = []
    for target in spec.stackability.targets:
        sharing = [o for o in offers if target.id and target.id in o.facts.stacking_targets]
        steps = sorted(sharing or [offer], key=_level_order)
        ref = target.id or f"{offer.specification_id}#target"
        links.append(PathwayLink(TARGET, ref, dict(target.title), steps, target.ects_recognised))
    return links


def _sharing_skills(offer: Offer, offers: list[Offer]) -> list[Offer]:
    skills = set(offer.facts.skills)
    return sorted(
        (
            other
            for other in offers
            if other.specification_id != offer.specification_id
            and skills & set(other.facts.skills)
            and other.facts.eqf != offer.facts.eqf
        ),
        key=_level_order,
    )


def _level_order(offer: Offer) -> tuple[int, float]:
    return (offer.facts.eqf or 0, offer.facts.ects or 0.0)
