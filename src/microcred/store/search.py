"""Searching the catalogue: the SQL that answers a query of the catalogue."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, aliased

from microcred.domain.specification_status import SpecificationStatus
from microcred.store.catalogue_tables import (
    InstitutionRow,
    SpecificationRow,
    SpecificationVersionRow,
)
from microcred.store.search_columns import searchable_text


class CatalogueCriteria(Protocol):
    """What a search asks for (``services.catalogue_query.CatalogueQuery`` checks the values).

    The store only reads these attributes; checking what a user typed is the service's work.
    """

    text: str | None
    isced_f: str | None
    eqf: int | None
    ects_min: float | None
    ects_max: float | None
    mode: str | None
    status: SpecificationStatus | None
    institution: str | None
    limit: int
    offset: int


Version = SpecificationVersionRow


def search_statement(
    query: CatalogueCriteria, drafts_of: Collection[str] | None = None
) -> sa.Select[SpecificationVersionRow]:
    """Return the SELECT of the versions matching ``query``, newest change first, paged.

    ``drafts_of``: the institutions whose drafts the asker may see (None: every one); other
    drafts are passed over as if absent, so a family shows its latest version the asker may see.
    """
    statement = sa.select(Version).where(*_criteria(query, drafts_of))
    statement = statement.order_by(Version.updated_at.desc(), Version.specification_id)
    return statement.limit(query.limit).offset(query.offset)


def count_statement(
    query: CatalogueCriteria, drafts_of: Collection[str] | None = None
) -> sa.Select[int]:
    """Return the SELECT counting every match of ``query``, ignoring limit and offset."""
    return sa.select(sa.func.count()).select_from(Version).where(*_criteria(query, drafts_of))


def _criteria(
    query: CatalogueCriteria, drafts_of: Collection[str] | None
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
