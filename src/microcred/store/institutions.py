"""Reading and writing institutions inside one session."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.store.catalogue_tables import InstitutionRow


def institution_by_slug(session: Session, slug: str) -> InstitutionRow | None:
    return session.scalars(sa.select(InstitutionRow).where(InstitutionRow.slug == slug)).first()


def put_institution(
    session: Session,
    slug: str,
    name: dict[str, str],
    country: str | None,
    is_higher_education: bool,
    ob2_issuers: list[str] | None = None,
) -> InstitutionRow:
    """Return the institution with ``slug``, created or updated to the given details
    (``ob2_issuers`` None keeps those it has)."""
    row = institution_by_slug(session, slug)
    if row is None:
        row = InstitutionRow(slug=slug)
        session.add(row)
    row.name = name
    row.country = country
    row.is_higher_education = is_higher_education
    if ob2_issuers is not None:
        row.ob2_issuers = ob2_issuers
    session.flush()
    return row


def all_institutions(session: Session) -> list[InstitutionRow]:
    return list(session.scalars(sa.select(InstitutionRow).order_by(InstitutionRow.slug)))
