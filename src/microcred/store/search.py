"""Searching the catalogue: the query a user asks and the SQL that answers it."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Self

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import InstrumentedAttribute, aliased

from microcred.store.search_columns import last_segment, searchable_text
from microcred.store.tables import (
    InstitutionRow,
    SpecificationRow,
    SpecificationStatus,
    SpecificationVersionRow,
)

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


Version = SpecificationVersionRow


def search_statement(
    query: CatalogueQuery, drafts_of: Collection[str] | None = None
) -> sa.Select[SpecificationVersionRow]:
    """Return the SELECT of the versions matching ``query``, newest change first, paged.

    ``drafts_of``: the institutions whose drafts the asker may see (None: every one); other
    drafts are passed over as if absent, so a family shows its latest version the asker may see.
    """
    statement = sa.select(Version).where(*_criteria(query, drafts_of))
    statement = statement.order_by(Version.updated_at.desc(), Version.specification_id)
    return statement.limit(query.limit).offset(query.offset)


def count_statement(
    query: CatalogueQuery, drafts_of: Collection[str] | None = None
) -> sa.Select[int]:
    """Return the SELECT counting every match of ``query``, ignoring limit and offset."""
    return sa.select(sa.func.count()).select_from(Version).where(*_criteria(query, drafts_of))


def _criteria(
    query: CatalogueQuery, drafts_of: Collection[str] | None
) -> list[sa.ColumnElement[bool]]:
    criteria = [_is_current_version(query.status, drafts_of)]
    if query.text:
        criteria.append(_contains(Version.title_text, searchable_text(query.text)))
    if query.isced_f:
        criteria.append(_contains(Version.isced_codes, f" {query.isced_f}"))
    if query.mode:
        criteria.append(_contains(Version.modes, f" {query.mode} "))
    if query.eqf is not None:
        criteria.append(Version.eqf_level == query.eqf)
    if query.ects_min is not None:
        criteria.append(Version.ects >= query.ects_min)
    if query.ects_max is not None:
        criteria.append(Version.ects <= query.ects_max)
    if query.institution:
        criteria.append(_belongs_to(query.institution))
    return criteria


def _is_current_version(
    status: SpecificationStatus | None, drafts_of: Collection[str] | None
) -> sa.ColumnElement[bool]:
    """The version is its family's highest visible one (among those with ``status``, if given)."""
    later = aliased(Version)
    newer_exists = sa.select(later.id).where(
        later.specification_id == Version.specification_id,
        later.version > Version.version,
        _visible(later, drafts_of),
    )
    visible = _visible(Version, drafts_of)
    if status is None:
        return sa.and_(visible, ~newer_exists.exists())
    newer_exists = newer_exists.where(later.status == status)
    return sa.and_(visible, Version.status == status, ~newer_exists.exists())


def _visible(version: Any, drafts_of: Collection[str] | None) -> sa.ColumnElement[bool]:
    """The version is not a draft, or a draft of an institution in ``drafts_of``."""
    if drafts_of is None:
        return sa.true()
    return sa.or_(
        version.status != SpecificationStatus.draft,
        version.specification_id.in_(_families_of(InstitutionRow.slug.in_(sorted(drafts_of)))),
    )


def _belongs_to(slug: str) -> sa.ColumnElement[bool]:
    return Version.specification_id.in_(_families_of(InstitutionRow.slug == slug))


def _families_of(institutions: sa.ColumnElement[bool]) -> sa.Select[str]:
    """Return the SELECT of the specification ids owned by the institutions matching."""
    return (
        sa.select(SpecificationRow.id)
        .join(InstitutionRow, SpecificationRow.institution_id == InstitutionRow.id)
        .where(institutions)
    )


def _contains(column: InstrumentedAttribute[str], needle: str) -> sa.ColumnElement[bool]:
    """``column`` contains ``needle`` literally: LIKE wildcards in the needle match themselves."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")
