"""The rule by which a course earns its learners a micro-credential: a final grade of at least
X percent, or a given activity completed.

Pure: the grades come in as `Result` values (what an LMS's gradebook says of one learner and
one gradebook column), and `earned` says who meets the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from microcred.i18n import _


class RuleKind(StrEnum):
    grade = "grade"  # the final grade, in percent, is at least `threshold`
    activity = "activity"  # the gradebook column `activity` has a result for the learner


class RuleError(ValueError):
    """The rule cannot be kept as given; the message says what to fix."""


@dataclass(frozen=True)
class Result:
    """One learner's result in one gradebook column (``score`` None: not graded yet), with the
    column's maximum."""

    learner: str
    column: str
    score: float | None
    maximum: float | None


@dataclass(frozen=True)
class CourseRule:
    kind: RuleKind
    threshold: float | None = None  # percent, for `grade`
    # The column holding the final grade (`grade`; empty: all columns added up, which is the
    # course total), or the column of the activity to complete (`activity`).
    activity: str | None = None

    @classmethod
    def of(cls, kind: str, threshold: str, activity: str) -> CourseRule:
        """Return the rule a form gives; raises `RuleError`."""
        activity = activity.strip()[:500]
        if kind == RuleKind.grade:
            try:
                percent = float(threshold.replace(",", ".").strip())
            except ValueError:
                message = _("Give the lowest final grade that earns it, in percent.")
                raise RuleError(message) from None
            if not 0 <= percent <= 100:
                raise RuleError(_("The final grade is a percentage from 0 to 100."))
            return cls(RuleKind.grade, percent, activity or None)
        if kind == RuleKind.activity:
            if not activity:
                raise RuleError(_("Name the activity (its gradebook column) to complete."))
            return cls(RuleKind.activity, None, activity)
        raise RuleError(_("Choose a rule: a final grade, or an activity completed."))

    def describe(self) -> str:
        """Return the rule in words, as the set-up page shows it."""
        if self.kind == RuleKind.grade:
            where = self.activity or _("course total")
            return _("final grade ({column}) at least {percent:g} %").format(
                column=where, percent=self.threshold
            )
        return _("activity “{activity}” completed").format(activity=self.activity)

    def earned(self, results: list[Result]) -> set[str]:
        """Return the learners whose ``results`` meet the rule."""
        if self.kind == RuleKind.activity:
            return {r.learner for r in results if r.column == self.activity and r.score is not None}
        scored: dict[str, float] = {}
        possible: dict[str, float] = {}
        for result in results:
            if self.activity and result.column != self.activity:
                continue
            if not result.maximum or result.maximum <= 0:
                continue
            # An ungraded column counts with its maximum: a course total is of every column.
            possible[result.learner] = possible.get(result.learner, 0.0) + result.maximum
            if result.score is not None:
                scored[result.learner] = scored.get(result.learner, 0.0) + result.score
        threshold = self.threshold or 0.0
        return {
            learner
            for learner, points in scored.items()
            if 100.0 * points / possible[learner] >= threshold - 1e-9
        }
