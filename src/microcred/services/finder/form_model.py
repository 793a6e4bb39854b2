"""The base of what a learner fills in: unknown fields are errors, blank fields are absent."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from microcred.services.catalogue_query import CatalogueQuery


class FormModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value


def catalogue_value(name: str, value: Any) -> Any:
    """Return ``value`` read as the catalogue search reads field ``name`` (ISCED-F, EQF)."""
    if value is None:
        return None
    try:
        return getattr(CatalogueQuery.model_validate({name: value}), name)
    except ValidationError as invalid:
        raise ValueError(invalid.errors()[0]["msg"].removeprefix("Value error, ")) from None
