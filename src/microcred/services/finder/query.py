"""What a learner asks the finder: words and filters. Every filter is optional; a blank form
field counts as absent, and a value that cannot be read is an error naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from microcred.domain.vocabularies.esco import normalise_esco_skill
from microcred.services.finder.facts import SCHEDULE
from microcred.services.finder.form_model import FormModel, catalogue_value

Delivery = Literal["online", "blended", "onsite"]


class FinderQuery(FormModel):
    """Words to look for (in the learner's language, with fallback) and hard filters."""

    text: str | None = Field(default=None, max_length=200)
    lang: str = "en"  # the learner's language: its texts rank first
    isced_f: str | None = None  # ISCED-F code or prefix ("06", "0613") or its URI
    skill: str | None = None  # an ESCO skill URI or UUID
    eqf: int | None = Field(default=None, ge=1, le=8)
    ects_min: float | None = Field(default=None, ge=0)
    ects_max: float | None = Field(default=None, ge=0)
    weeks_max: float | None = Field(default=None, gt=0)  # longest duration, in weeks
    hours_max: float | None = Field(default=None, gt=0)  # most hours a week
    schedule: str | None = None  # ELM learning-schedule URI or its code
    starts_from: date | None = None
    starts_until: date | None = None
    delivery: Delivery | None = None
    synchronous: bool | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")  # of instruction
    price_max: float | None = Field(default=None, ge=0)  # 0: free courses only
    funded: bool | None = None  # True: only offers that mention funding
    institution: str | None = None  # institution slug
    limit: int = Field(default=20, ge=1, le=200)
    offset: int = Field(default=0, ge=0)

    @field_validator("lang", mode="before")
    @classmethod
    def _default_language(cls, value: Any) -> Any:
        return "en" if value is None else value

    @field_validator("isced_f", "eqf", mode="before")
    @classmethod
    def _as_in_the_catalogue(cls, value: Any, info: ValidationInfo) -> Any:
        return catalogue_value(info.field_name or "", value)

    @field_validator("skill")
    @classmethod
    def _skill_uri(cls, value: str | None) -> str | None:
        return None if value is None else normalise_esco_skill(value)

    @field_validator("schedule")
    @classmethod
    def _schedule_uri(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value if value.startswith(SCHEDULE) else SCHEDULE + value

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        low, high = self.ects_min, self.ects_max
        if low is not None and high is not None and low > high:
            raise ValueError(f"ects_min ({low:g}) is greater than ects_max ({high:g})")
        first, last = self.starts_from, self.starts_until
        if first is not None and last is not None and first > last:
            raise ValueError(f"starts_from ({first}) is after starts_until ({last})")
        return self
