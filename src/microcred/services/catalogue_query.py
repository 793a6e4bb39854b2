"""The query a user asks of the catalogue: every criterion checked before any SQL runs.

``store.search`` turns a checked query into SQL; this module owns what a user may type (blank
fields, ISCED-F and EQF given as codes or URIs, an ECTS range) and says how to fix bad criteria.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from microcred.domain.specification_status import SpecificationStatus
from microcred.store.search_columns import last_segment

ISCED_F_URI = "http://data.europa.eu/snb/isced-f/"
EQF_URI = "http://data.europa.eu/snb/eqf/"


class CatalogueQuery(BaseModel):
    """What to look for; every criterion is optional and blank form fields count as absent.

    Each specification appears once, as its latest version (its latest version with
    ``status`` when a status is given).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str | None = None  # part of a title, in any language, any case
    isced_f: str | None = None  # ISCED-F code or code prefix ("06", "0613") or its URI
    eqf: int | None = Field(default=None, ge=1, le=8)  # EQF level, or its URI
    ects_min: float | None = Field(default=None, ge=0)
    ects_max: float | None = Field(default=None, ge=0)
    mode: str | None = None  # learning mode URI
    status: SpecificationStatus | None = None
    institution: str | None = None  # institution slug
    limit: int = Field(default=50, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("isced_f")
    @classmethod
    def _isced_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.removeprefix(ISCED_F_URI)
        if not (code.isdigit() and 1 <= len(code) <= 4):
            raise ValueError(
                f"'{value}' is not an ISCED-F code: give a code or prefix such as '06' or "
                f"'0613', or its URI such as '{ISCED_F_URI}0613'"
            )
        return code

    @field_validator("eqf", mode="before")
    @classmethod
    def _eqf_number(cls, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(EQF_URI):
            return last_segment(value)
        return value

    @model_validator(mode="after")
    def _ects_range(self) -> Self:
        low, high = self.ects_min, self.ects_max
        if low is not None and high is not None and low > high:
            raise ValueError(f"ects_min ({low:g}) is greater than ects_max ({high:g})")
        return self
