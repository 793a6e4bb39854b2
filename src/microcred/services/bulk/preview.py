"""The preview of a bulk award: every row of a gradebook either ready to award or rejected with
its reasons (missing e-mail, unknown grade, duplicate learner, bad date), before anything is
issued. The same checks as a single award (`check_award_input`) apply to every row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from microcred.i18n import N_, gettext_
from microcred.services.award_input import (
    FIELD_LABELS,
    LearnerInput,
    check_award_input,
    learner_key,
)
from microcred.services.bulk.columns import layout_help, layout_of
from microcred.services.bulk.gradebook import Gradebook, GradebookUnreadable
from microcred.store.records import SpecificationRecord

DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")


@dataclass(frozen=True)
class BulkRow:
    """A row ready to award."""

    row: int
    learner: LearnerInput
    grade: str | None
    awarded_on: date
    raw: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "learner": self.learner.model_dump(mode="json"),
            "grade": self.grade,
            "awarded_on": self.awarded_on.isoformat(),
            "raw": self.raw,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BulkRow:
        return cls(
            row=data["row"],
            learner=LearnerInput.model_validate(data["learner"]),
            grade=data["grade"],
            awarded_on=date.fromisoformat(data["awarded_on"]),
            raw=data.get("raw", {}),
        )


@dataclass(frozen=True)
class RejectedRow:
    """A row that will not be awarded, and why."""

    row: int
    reasons: list[str]
    raw: dict[str, str]

    def to_failure(self) -> dict[str, Any]:
        return {"row": self.row, "reason": "; ".join(self.reasons), "raw": self.raw}


@dataclass(frozen=True)
class BulkPreview:
    layout: str
    columns: list[str]
    accepted: list[BulkRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.accepted) + len(self.rejected)


def preview_gradebook(
    gradebook: Gradebook,
    record: SpecificationRecord,
    *,
    awarded_on: date,
    today: date,
) -> BulkPreview:
    """Return every row of ``gradebook`` checked for an award of ``record``.

    ``awarded_on`` is the date of rows that give none. Raises `GradebookUnreadable` when the
    columns are in no known layout.
    """
    layout = layout_of(gradebook.columns)
    if layout is None:
        raise GradebookUnreadable(
            f"the columns ({', '.join(gradebook.columns[:8])}) are not in a known layout; "
            + layout_help()
        )
    preview = BulkPreview(layout=layout.name, columns=gradebook.columns)
    seen: dict[str, int] = {}
    for number, cells in gradebook.rows:
        if layout.skip(cells):
            continue
        fields = layout.fields(cells)
        reasons, row = _checked_row(number, fields, record, awarded_on, today)
        if row is not None:
            key = learner_key(row.learner)
            if key in seen:
                kind = gettext_(FIELD_LABELS.get(key.split(":")[0], N_("E-mail")))
                duplicate = gettext_(N_("duplicate learner: the same %(kind)s as row %(row)s"))
                reasons.append(duplicate % {"kind": kind, "row": seen[key]})
            else:
                seen[key] = number
        if reasons or row is None:
            preview.rejected.append(RejectedRow(number, reasons, cells))
        else:
            preview.accepted.append(BulkRow(number, row.learner, row.grade, row.awarded_on, cells))
    return preview


def _checked_row(
    number: int,
    fields: dict[str, str],
    record: SpecificationRecord,
    default_date: date,
    today: date,
) -> tuple[list[str], BulkRow | None]:
    reasons: list[str] = []
    awarded = default_date
    if fields.get("awarded_on"):
        parsed = parse_date(fields["awarded_on"])
        if parsed is None:
            reasons.append(_not_a_date("awarded_on", fields["awarded_on"], "2025-03-01"))
        else:
            awarded = parsed
    birth: date | None = None
    if fields.get("date_of_birth"):
        birth = parse_date(fields["date_of_birth"])
        if birth is None:
            reasons.append(_not_a_date("date_of_birth", fields["date_of_birth"], "2001-12-31"))
    try:
        learner = LearnerInput(
            name=fields.get("name"),
            email=fields.get("email"),
            institutional_id=fields.get("institutional_id"),
            did=fields.get("did"),
            date_of_birth=birth,
            language=fields.get("language"),
        )
    except ValidationError as error:
        reasons.extend(_unreadable(str(e["loc"][0])) for e in error.errors())
        return reasons, None
    grade = fields.get("grade") or None
    problems = check_award_input(record.specification, learner, grade, awarded, today)
    reasons.extend(problem.text() for problem in problems)
    if any(problem.field == "email" and "give an" in problem.message for problem in problems):
        return reasons, None  # no learner key: cannot be checked for duplicates
    return reasons, BulkRow(number, learner, grade, awarded, {})


def _not_a_date(field: str, given: str, example: str) -> str:
    """Return "Date awarded: “13/2025” is not a date; write it as 2025-03-01", translated."""
    sentence = gettext_(N_("“%(value)s” is not a date; write it as %(example)s"))
    return f"{gettext_(FIELD_LABELS[field])}: " + sentence % {"value": given, "example": example}


def _unreadable(field: str) -> str:
    """Return "E-mail: this value cannot be read", translated (the validator's text is not)."""
    label = FIELD_LABELS.get(field)
    sentence = gettext_(N_("this value cannot be read"))
    return f"{gettext_(label)}: {sentence}" if label else sentence


def parse_date(text: str) -> date | None:
    """Return the date in ``2025-03-01``, ``2025-03-01T...`` or ``01.03.2025`` form, else None."""
    text = text.strip()
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
    except ValueError:
        pass
    match = DAY_FIRST.match(text)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None
