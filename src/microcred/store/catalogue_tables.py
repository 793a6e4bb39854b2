"""The catalogue's tables: institutions, specification families and their versions.

A specification is a family (one stable id) with numbered versions. Each version keeps the whole
Specification as a JSON document plus a few denormalised columns the catalogue searches on, so a
search never has to open the documents.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from microcred.store.base import Base, Document, UtcDateTime, utc_now


class InstitutionRow(Base):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(Document)
    country: Mapped[str | None] = mapped_column(sa.String(200))
    is_higher_education: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # The ids of the institution's Open Badges 2.0 issuer Profiles: their badges may be
    # re-issued by it as Open Badges 3.0 credentials (see services/ob2_upgrades.py).
    ob2_issuers: Mapped[list[str] | None] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SpecificationRow(Base):
    """The family: one id shared by every version of a specification."""

    __tablename__ = "specifications"

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    institution: Mapped[InstitutionRow] = relationship(lazy="joined")


class SpecificationVersionRow(Base):
    """One version of a specification; a published or archived version never changes again."""

    __tablename__ = "specification_versions"
    __table_args__ = (
        sa.UniqueConstraint("specification_id", "version", name="uq_specification_version"),
        sa.CheckConstraint("version >= 1", name="ck_version_positive"),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'archived')", name="ck_version_status"
        ),
        # At most one draft per specification, enforced by the database itself.
        sa.Index(
            "uq_one_draft_per_specification",
            "specification_id",
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    specification_id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), sa.ForeignKey("specifications.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(Document)

    # Denormalised from the document for searching; see store/search_columns.py.
    title_text: Mapped[str] = mapped_column(sa.Text, default="")
    ects: Mapped[float | None] = mapped_column(sa.Float, index=True)
    eqf_level: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    isced_codes: Mapped[str] = mapped_column(sa.Text, default="")
    modes: Mapped[str] = mapped_column(sa.Text, default="")
    compliant: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    error_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    warning_count: Mapped[int] = mapped_column(sa.Integer, default=0)

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    specification: Mapped[SpecificationRow] = relationship(lazy="joined")
