"""Reading and writing specification families and their versions inside one session."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.domain.specification import Specification
from microcred.domain.specification_status import SpecificationStatus
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import (
    InstitutionRow,
    SpecificationRow,
    SpecificationVersionRow,
)
from microcred.store.search_columns import search_columns


def lock_family(session: Session, spec_id: str) -> SpecificationRow | None:
    """Return the family row, locked against concurrent writers where the database can lock."""
    statement = sa.select(SpecificationRow).where(SpecificationRow.id == spec_id)
    return session.scalars(statement.with_for_update(of=SpecificationRow)).first()


def add_family(session: Session, institution: InstitutionRow) -> SpecificationRow:
    family = SpecificationRow(institution=institution)
    session.add(family)
    session.flush()
    return family


def add_version(
    session: Session, family: SpecificationRow, version: int, spec: Specification
) -> SpecificationVersionRow:
    """Add a draft version holding ``spec``."""
    now = utc_now()
    row = SpecificationVersionRow(
        specification=family,
        version=version,
        status=SpecificationStatus.draft,
        created_at=now,
        updated_at=now,
    )
    write_document(row, spec, now)
    session.add(row)
    session.flush()
    return row


def write_document(row: SpecificationVersionRow, spec: Specification, now: datetime) -> None:
    """Store ``spec`` in a draft version with its search columns; frozen versions refuse."""
    if row.status != SpecificationStatus.draft:
        raise ValueError(f"version {row.version} is {row.status} and can no longer change")
    row.document = spec.model_dump(mode="json")
    for column, value in search_columns(spec).items():
        setattr(row, column, value)
    row.updated_at = now


def latest_version(
    session: Session, spec_id: str, status: SpecificationStatus | None = None
) -> SpecificationVersionRow | None:
    """Return the highest-numbered version (with ``status``, if given)."""
    statement = sa.select(SpecificationVersionRow).where(
        SpecificationVersionRow.specification_id == spec_id
    )
    if status is not None:
        statement = statement.where(SpecificationVersionRow.status == status)
    statement = statement.order_by(SpecificationVersionRow.version.desc()).limit(1)
    return session.scalars(statement).first()


def numbered_version(
    session: Session, spec_id: str, version: int
) -> SpecificationVersionRow | None:
    statement = sa.select(SpecificationVersionRow).where(
        SpecificationVersionRow.specification_id == spec_id,
        SpecificationVersionRow.version == version,
    )
    return session.scalars(statement).first()


def all_versions(session: Session, spec_id: str) -> list[SpecificationVersionRow]:
    statement = (
        sa.select(SpecificationVersionRow)
        .where(SpecificationVersionRow.specification_id == spec_id)
        .order_by(SpecificationVersionRow.version)
    )
    return list(session.scalars(statement))


def published_versions(session: Session, spec_id: str) -> list[SpecificationVersionRow]:
    statement = sa.select(SpecificationVersionRow).where(
        SpecificationVersionRow.specification_id == spec_id,
        SpecificationVersionRow.status == SpecificationStatus.published,
    )
    return list(session.scalars(statement))
