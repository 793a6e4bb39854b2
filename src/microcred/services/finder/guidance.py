"""Guidance: a learner's answers to a short questionnaire, and how well each offer fits them.

The motivation profiles are those of the MCE learner studies (Upskiller, Reskiller, Career
Launcher, Compliance-driven, Curiosity-driven). Each answer adds or takes points for what it
asks about, and every point comes with a sentence, so a ranking always explains itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import Field

from microcred.services.finder.facts import OfferFacts
from microcred.services.finder.form_model import FormModel
from microcred.services.finder.query import Delivery
from microcred.services.finder.reasons import N_, Reason

TARGET_GROUP = "http://data.europa.eu/snb/target-group/"
RETRAINING = TARGET_GROUP + "05f11c859b"  # persons requiring employment retraining
EARLY_CAREER = TARGET_GROUP + "5e56931138"  # persons with 0-3 years work experience
SHORT_WEEKS, LONG_WEEKS = 6, 12
SHORT_ECTS, LONG_ECTS = 3, 10
SOON = timedelta(days=120)
TEXT_POINTS_PER_WEIGHT, MOST_TEXT_POINTS = 0.5, 3.0


class Profile(StrEnum):
    """Why a learner looks for a micro-credential (MCE learner studies)."""

    upskiller = "upskiller"
    reskiller = "reskiller"
    career_launcher = "career-launcher"
    compliance = "compliance"
    curiosity = "curiosity"


PROFILE_NAMES = {
    Profile.upskiller: N_("Upskiller: grow in my current job"),
    Profile.reskiller: N_("Reskiller: move to a new field or job"),
    Profile.career_launcher: N_("Career Launcher: start my career"),
    Profile.compliance: N_("Compliance-driven: meet a requirement of my job or profession"),
    Profile.curiosity: N_("Curiosity-driven: learn something that interests me"),
}


class Answers(FormModel):
    """The questionnaire: every answer is optional; blank form fields count as unanswered."""

    profile: Profile | None = None
    hours: float | None = Field(default=None, gt=0, le=80)  # free hours a week
    budget: float | None = Field(default=None, ge=0)  # most the learner will pay; 0: nothing
    level: int | None = Field(default=None, ge=1, le=8)  # EQF level wanted
    prefer: Delivery | None = None  # the preferred way of study

    @property
    def given(self) -> bool:
        return any(value is not None for value in self.model_dump().values())


def fit(facts: OfferFacts, answers: Answers, today: date) -> list[Reason]:
    """Return the reasons ``facts`` fit (or do not fit) ``answers``, unordered."""
    return [
        *_hours(facts, answers.hours),
        *_budget(facts, answers.budget),
        *_delivery(facts, answers.prefer),
        *_level(facts, answers.level),
        *_profile(facts, answers.profile),
        *_start(facts, today),
    ]


def strongest_first(reasons: list[Reason]) -> list[Reason]:
    """Return the reasons ordered as shown: those that weigh most first."""
    return sorted(reasons, key=lambda reason: -abs(reason.points))


def text_points(relevance: float) -> float:
    """Return the points a text match adds (capped, so words never outweigh the answers)."""
    return min(relevance * TEXT_POINTS_PER_WEIGHT, MOST_TEXT_POINTS)


def _hours(facts: OfferFacts, available: float | None) -> list[Reason]:
    needed = facts.weekly_hours
    if available is None or needed is None:
        return []
    values = {"needed": needed, "available": available}
    if needed <= available:
        return [
            Reason(
                N_("Fits your week: about %(needed)s h a week; you have %(available)s h."),
                3,
                values,
            )
        ]
    if needed <= available * 1.25:
        return [
            Reason(
                N_("A little over your week: about %(needed)s h a week; you have %(available)s h."),
                -0.5,
                values,
            )
        ]
    return [
        Reason(
            N_("Needs about %(needed)s h a week, more than the %(available)s h you have."),
            -3,
            values,
        )
    ]


def _budget(facts: OfferFacts, budget: float | None) -> list[Reason]:
    if budget is None:
        return []
    if facts.price is None:
        return [Reason(N_("The price is not stated."), -1)]
    if facts.free:
        return [Reason(N_("Free of charge."), 3)]
    price = {"price": f"{facts.price:g} {facts.currency or ''}".strip()}
    if facts.price <= budget:
        return [Reason(N_("Costs %(price)s, within your budget."), 2, price)]
    if facts.funded:
        return [
            Reason(N_("Costs %(price)s, over your budget, but funding is available."), -1, price)
        ]
    return [Reason(N_("Costs %(price)s, over your budget."), -3, price)]


def _delivery(facts: OfferFacts, wanted: str | None) -> list[Reason]:
    if wanted is None or not facts.deliveries:
        return []
    if wanted in facts.deliveries:
        return [Reason(N_("Taught %(mode)s, as you prefer."), 2, {"mode": wanted})]
    offered = {"mode": facts.deliveries[0], "wanted": wanted}
    return [Reason(N_("Taught %(mode)s; you prefer %(wanted)s."), -2, offered)]


def _level(facts: OfferFacts, wanted: int | None) -> list[Reason]:
    if wanted is None or facts.eqf is None:
        return []
    level = {"level": facts.eqf}
    distance = abs(facts.eqf - wanted)
    if distance == 0:
        return [Reason(N_("At EQF level %(level)s, the level you chose."), 2, level)]
    if distance == 1:
        return [Reason(N_("At EQF level %(level)s, next to the level you chose."), 0.5, level)]
    return [Reason(N_("At EQF level %(level)s, far from the level you chose."), -2, level)]


def _profile(facts: OfferFacts, profile: Profile | None) -> list[Reason]:
    if profile is None:
        return []
    found: list[Reason] = []
    short, long = _is_short(facts), _is_long(facts)
    self_paced = facts.synchronous is False
    if profile is Profile.compliance:
        if short:
            found.append(
                _short(facts, 3, N_("Short (%(length)s): quick to complete for a requirement."))
            )
        if long:
            found.append(Reason(N_("Long for meeting a requirement."), -2))
        if facts.external_qa:
            found.append(
                Reason(
                    N_(
                        "Externally quality-assured: evidence an employer or regulator can rely on."
                    ),
                    1,
                )
            )
    if profile is Profile.curiosity:
        if short:
            found.append(_short(facts, 1, N_("Short (%(length)s): easy to fit in.")))
        if not facts.has_prerequisites:
            found.append(Reason(N_("No prerequisites."), 1))
    if profile in (Profile.upskiller, Profile.reskiller, Profile.career_launcher):
        if facts.stackable:
            points = 2 if profile is Profile.reskiller else 1
            found.append(Reason(N_("Counts toward a larger qualification."), points))
        if facts.relevance_stated:
            found.append(Reason(N_("Designed for a need of the labour market."), 1))
    if profile is Profile.upskiller and facts.eqf is not None and facts.eqf >= 6:
        found.append(
            Reason(
                N_("Advanced (EQF %(level)s): builds on what you know."), 1, {"level": facts.eqf}
            )
        )
    if profile is Profile.reskiller and RETRAINING in facts.target_groups:
        found.append(Reason(N_("Meant for people retraining for a new job."), 2))
    if profile is Profile.career_launcher:
        if EARLY_CAREER in facts.target_groups:
            found.append(Reason(N_("Meant for people early in their career."), 2))
        if not facts.has_prerequisites:
            found.append(Reason(N_("No prerequisites."), 1))
    if self_paced and profile is not Profile.career_launcher:
        found.append(Reason(N_("Self-paced: no fixed class times."), 1))
    return found


def _start(facts: OfferFacts, today: date) -> list[Reason]:
    start = facts.next_start(today)
    if start is None or start - today > SOON:
        return []
    return [Reason(N_("Starts on %(date)s."), 1, {"date": start})]


def _is_short(facts: OfferFacts) -> bool:
    if facts.duration_weeks is not None:
        return facts.duration_weeks <= SHORT_WEEKS
    return facts.ects is not None and facts.ects <= SHORT_ECTS


def _is_long(facts: OfferFacts) -> bool:
    weeks, ects = facts.duration_weeks, facts.ects
    return (weeks is not None and weeks > LONG_WEEKS) or (ects is not None and ects > LONG_ECTS)


def _short(facts: OfferFacts, points: float, message: str) -> Reason:
    if facts.duration_weeks is not None:
        length = Reason(N_("%(weeks)s weeks"), 0, {"weeks": facts.duration_weeks})
    else:
        length = Reason(N_("%(ects)s ECTS"), 0, {"ects": facts.ects})
    return Reason(message, points, {"length": length})
