"""What a learner weighs about one offer, derived from its Specification.

The finder filters and ranks on these facts, not on the raw document: how it is delivered
(online, blended, onsite), the weekly load (stated, else estimated from the workload and the
duration), the ELM learning schedule that load falls in, the duration in weeks, the price and
whether funding is mentioned, and when the next runs start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from microcred.domain.specification import Specification
from microcred.store.search_columns import eqf_level, last_segment

MODE = "http://data.europa.eu/snb/learning-assessment/"
SCHEDULE = "http://data.europa.eu/snb/learning-schedule/"
PART_TIME_LIGHT = SCHEDULE + "67395e6b5a"  # under 8 h a week
PART_TIME_INTENSIVE = SCHEDULE + "f230bae523"  # 8 to 30 h a week
FULL_TIME = SCHEDULE + "72a0ab92fa"  # over 30 h a week
DELIVERIES = ("online", "blended", "onsite")
# Which ELM learning modes count as which delivery a learner asks for.
DELIVERY_OF_MODE = {
    MODE + "920fbb3cbe": "online",
    MODE + "e92d221e4d": "blended",
    MODE + "c_3a90b26d": "blended",  # hybrid
    MODE + "9191af2ed9": "onsite",  # presential
    MODE + "729f3bed4b": "onsite",  # work-based
    MODE + "ed4c557045": "onsite",  # research-lab based
}
HOURS_PER_ECTS = 27.5  # the middle of 25-30 h (EU reference)
WEEKS_PER_MONTH = 4.35
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(slots=True)  # not frozen: a search builds thousands, and frozen ones build slower
class OfferFacts:
    """The learner-relevant facts of one offer; None where the specification does not say."""

    ects: float | None
    hours: float | None
    eqf: int | None
    isced: tuple[str, ...]  # ISCED-F codes
    skills: tuple[str, ...]  # ESCO skill URIs
    deliveries: tuple[str, ...]  # "online", "blended", "onsite"
    synchronous: bool | None
    weekly_hours: float | None
    weekly_hours_stated: bool
    schedule: str | None  # ELM learning-schedule URI, stated or derived from weekly hours
    duration_weeks: float | None
    languages: tuple[str, ...]
    price: float | None
    currency: str | None
    funded: bool
    starts: tuple[date, ...]
    target_groups: tuple[str, ...]
    stacking_targets: tuple[str, ...]  # ids of the larger credentials it stacks into
    has_prerequisites: bool
    external_qa: bool
    relevance_stated: bool

    @property
    def free(self) -> bool:
        return self.price == 0

    @property
    def stackable(self) -> bool:
        return bool(self.stacking_targets)

    def next_start(self, today: date) -> date | None:
        """Return the first start date on or after ``today``."""
        return next((start for start in self.starts if start >= today), None)


def offer_facts(spec: Specification) -> OfferFacts:
    """Return the facts of ``spec`` the finder filters and ranks on."""
    hours = spec.workload.hours
    if hours is None and spec.workload.ects is not None:
        hours = spec.workload.ects * HOURS_PER_ECTS
    weeks = duration_weeks(spec.duration)
    weekly = spec.participation.weekly_hours
    stated = weekly is not None
    if weekly is None and hours is not None and weeks:
        weekly = round(hours / weeks, 1)
    price = spec.price
    return OfferFacts(
        ects=spec.workload.ects,
        hours=hours,
        eqf=eqf_level(spec),
        isced=tuple(last_segment(uri) for uri in spec.isced_f),
        skills=tuple(dict.fromkeys(s for o in spec.learning_outcomes for s in o.esco_skills)),
        deliveries=deliveries(spec.participation.modes),
        synchronous=spec.participation.synchronous,
        weekly_hours=weekly,
        weekly_hours_stated=stated,
        schedule=spec.participation.schedule or schedule_for(weekly),
        duration_weeks=weeks,
        languages=tuple(spec.languages_of_instruction),
        price=price.amount if price else None,
        currency=price.currency if price else None,
        funded=bool(price and price.funding),
        starts=tuple(sorted(set(spec.start_dates))),
        target_groups=tuple(spec.target_groups),
        stacking_targets=tuple(t.id for t in spec.stackability.targets if t.id),
        has_prerequisites=bool(spec.prerequisites),
        external_qa=bool(spec.quality_assurance.external),
        relevance_stated=bool(spec.relevance),
    )


def deliveries(modes: list[str]) -> tuple[str, ...]:
    """Return the deliveries (online, blended, onsite) the ELM learning modes amount to."""
    found = {DELIVERY_OF_MODE[mode] for mode in modes if mode in DELIVERY_OF_MODE}
    return tuple(kind for kind in DELIVERIES if kind in found)


def schedule_for(weekly_hours: float | None) -> str | None:
    """Return the ELM learning schedule of a weekly load: light < 8 h <= intensive <= 30 h."""
    if weekly_hours is None:
        return None
    if weekly_hours < 8:
        return PART_TIME_LIGHT
    if weekly_hours <= 30:
        return PART_TIME_INTENSIVE
    return FULL_TIME


def duration_weeks(iso: str | None) -> float | None:
    """Return an ISO 8601 duration (``P10W``, ``P3M``) in weeks."""
    match = _DURATION.match(iso or "")
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return round(years * 52 + months * WEEKS_PER_MONTH + weeks + days / 7, 2)
