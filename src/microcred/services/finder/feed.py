"""The catalogue as open data: every published offer, with the elements learners compare.

The feed is plain JSON described by `CourseFeed` (its JSON Schema is served beside it); each
entry links to the offer's page and to its ELM learning-opportunity export.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict

from microcred.domain.specification import Specification
from microcred.services.finder.finder import Finder
from microcred.services.finder.search import Offer

FEED_LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"


class FeedModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedPrice(FeedModel):
    amount: float | None
    currency: str | None
    funding: dict[str, str]


class FeedStackingTarget(FeedModel):
    id: str | None
    title: dict[str, str]
    ects_recognised: float | None


class FeedCourse(FeedModel):
    """One published offer: ids and links, then the EU elements learners compare."""

    id: str  # urn:uuid of the specification
    url: str  # the course page
    elm_learning_opportunity: str  # the ELM export
    institution: str
    title: dict[str, str]
    description: dict[str, str]
    awarding_bodies: list[dict[str, str]]
    ects: float | None
    hours: float | None
    eqf_level: int | None
    isced_f: list[str]
    esco_skills: list[str]
    learning_outcomes: list[dict[str, str]]
    duration: str | None
    weekly_hours: float | None
    weekly_hours_estimated: bool
    learning_schedule: str | None
    learning_modes: list[str]
    delivery: list[str]
    synchronous: bool | None
    languages: list[str]
    price: FeedPrice | None
    start_dates: list[date]
    target_groups: list[str]
    prerequisites: dict[str, str]
    stacks_into: list[FeedStackingTarget]
    guidance_contact: str | None
    homepage: str | None


class CourseFeed(FeedModel):
    title: str
    generated_at: datetime
    licence: str
    count: int
    courses: list[FeedCourse]


def course_feed(finder: Finder, base_url: str) -> CourseFeed:
    """Return the feed of every published offer, oldest publication first."""
    offers = finder.all_offers()
    specs = finder.specifications(offers)
    base = base_url.rstrip("/")
    courses = [
        feed_course(offer, specs[offer.specification_id], base)
        for offer in sorted(offers, key=lambda offer: offer.specification_id)
    ]
    return CourseFeed(
        title="Published micro-credentials",
        generated_at=datetime.now(UTC).replace(microsecond=0),
        licence=FEED_LICENCE,
        count=len(courses),
        courses=courses,
    )


def feed_course(offer: Offer, spec: Specification, base: str) -> FeedCourse:
    facts = offer.facts
    page = f"{base}/courses/{offer.specification_id}"
    return FeedCourse(
        id=f"urn:uuid:{offer.specification_id}",
        url=page,
        elm_learning_opportunity=f"{base}/api/courses/{offer.specification_id}/elm",
        institution=offer.institution,
        title=dict(spec.title),
        description=dict(spec.description),
        awarding_bodies=[dict(body.name) for body in spec.awarding_bodies],
        ects=facts.ects,
        hours=spec.workload.hours,
        eqf_level=facts.eqf,
        isced_f=list(spec.isced_f),
        esco_skills=list(facts.skills),
        learning_outcomes=[dict(outcome.text) for outcome in spec.learning_outcomes],
        duration=spec.duration,
        weekly_hours=facts.weekly_hours,
        weekly_hours_estimated=facts.weekly_hours is not None and not facts.weekly_hours_stated,
        learning_schedule=facts.schedule,
        learning_modes=list(spec.participation.modes),
        delivery=list(facts.deliveries),
        synchronous=facts.synchronous,
        languages=list(facts.languages),
        price=FeedPrice(
            amount=spec.price.amount, currency=spec.price.currency, funding=dict(spec.price.funding)
        )
        if spec.price
        else None,
        start_dates=list(facts.starts),
        target_groups=list(facts.target_groups),
        prerequisites=dict(spec.prerequisites),
        stacks_into=[
            FeedStackingTarget(id=t.id, title=dict(t.title), ects_recognised=t.ects_recognised)
            for t in spec.stackability.targets
        ],
        guidance_contact=spec.guidance_contact,
        homepage=spec.homepage,
    )
