"""The database tables: institutions, specification families and their versions.

A specification is a family (one stable id) with numbered versions. Each version keeps the whole
Specification as a JSON document plus a few denormalised columns the catalogue searches on, so a
search never has to open the documents.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class SpecificationStatus(StrEnum):
    """Where a version stands: being edited, in the catalogue, or withdrawn from it."""

    draft = "draft"
    published = "published"
    archived = "archived"


def utc_now() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp that is always read back as an aware UTC datetime (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# JSON on SQLite, JSONB on PostgreSQL.
Document = sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class InstitutionRow(Base):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(Document)
    country: Mapped[str | None] = mapped_column(sa.String(200))
    is_higher_education: Mapped[bool] = mapped_column(sa.Boolean, default=True)
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


# Tables of other features live in modules of their own; importing them here puts them on
# Base.metadata, which the migrations are compared against.
from microcred.store import accounts_tables as accounts_tables  # noqa: E402
from microcred.store import analytics_tables as analytics_tables  # noqa: E402
from microcred.store import audit_tables as audit_tables  # noqa: E402
from microcred.store import awards_tables as awards_tables  # noqa: E402
from microcred.store import branding_tables as branding_tables  # noqa: E402
from microcred.store import delivery_tables as delivery_tables  # noqa: E402
from microcred.store import finder_tables as finder_tables  # noqa: E402
from microcred.store import jobs_tables as jobs_tables  # noqa: E402
from microcred.store import keys_tables as keys_tables  # noqa: E402
from microcred.store import learner_wallet_tables as learner_wallet_tables  # noqa: E402
from microcred.store import pathway_tables as pathway_tables  # noqa: E402
from microcred.store import recognition_tables as recognition_tables  # noqa: E402
from microcred.store import seal_tables as seal_tables  # noqa: E402
from microcred.store import status_tables as status_tables  # noqa: E402
from microcred.store import wallet_tables as wallet_tables  # noqa: E402
