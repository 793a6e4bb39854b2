"""The course finder's tables: its search index of published offers, learners' saved items,
and the log of "a saved course opens" e-mails.

- ``finder_offers``: one row per published specification, with the facts learners filter on
  (see services/finder/facts.py). Lists are space-delimited with a space at each end, as in
  the catalogue's search columns. Rebuilt from the catalogue at any time (``finder reindex``).
- ``finder_words``: a word index of each offer's texts, per language, for full-text search on
  SQLite and PostgreSQL alike; the primary key (word first) makes a prefix lookup a range scan.
- ``finder_starts``: each offer's start dates, for "starts between" filters.
- ``finder_saved``: courses (a specification id) and pathways (a stacking target's id) a learner
  saved.
- ``finder_notifications``: one row per e-mail sent (learner, course, start date), so each
  opening is announced once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now

# Words compare by code point on both databases ("C" collation on PostgreSQL), so a prefix is
# one range of the primary key: "kompet" <= word < "kompeu".
WORD = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")


def _offer_id(*, index: bool) -> Mapped[int]:
    return mapped_column(
        sa.ForeignKey("finder_offers.id", ondelete="CASCADE"), primary_key=True, index=index
    )


class FinderOfferRow(Base):
    __tablename__ = "finder_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    specification_id: Mapped[str] = mapped_column(sa.Uuid(as_uuid=False), unique=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("specification_versions.id", ondelete="CASCADE"), unique=True
    )
    institution: Mapped[str] = mapped_column(sa.String(100), index=True)
    title: Mapped[dict[str, str]] = mapped_column(Document)
    ects: Mapped[float | None] = mapped_column(sa.Float)
    hours: Mapped[float | None] = mapped_column(sa.Float)
    eqf: Mapped[int | None] = mapped_column(sa.Integer)
    isced: Mapped[str] = mapped_column(sa.Text, default="")
    skills: Mapped[str] = mapped_column(sa.Text, default="")
    deliveries: Mapped[str] = mapped_column(sa.String(40), default="")
    synchronous: Mapped[bool | None] = mapped_column(sa.Boolean)
    weekly_hours: Mapped[float | None] = mapped_column(sa.Float)
    weekly_hours_stated: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    schedule: Mapped[str | None] = mapped_column(sa.String(200))
    duration_weeks: Mapped[float | None] = mapped_column(sa.Float)
    languages: Mapped[str] = mapped_column(sa.String(200), default="")
    price: Mapped[float | None] = mapped_column(sa.Float)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    funded: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    starts: Mapped[str] = mapped_column(sa.Text, default="")
    target_groups: Mapped[str] = mapped_column(sa.Text, default="")
    stacking_targets: Mapped[str] = mapped_column(sa.Text, default="")
    has_prerequisites: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    external_qa: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    relevance_stated: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class FinderWordRow(Base):
    __tablename__ = "finder_words"

    word: Mapped[str] = mapped_column(WORD, primary_key=True)
    offer_id: Mapped[int] = _offer_id(index=True)  # deleting an offer's words
    lang: Mapped[str] = mapped_column(sa.String(35), primary_key=True)
    weight: Mapped[float] = mapped_column(sa.Float)


class FinderStartRow(Base):
    __tablename__ = "finder_starts"

    offer_id: Mapped[int] = _offer_id(index=False)
    start_date: Mapped[date] = mapped_column(sa.Date, primary_key=True)


class SavedItemRow(Base):
    __tablename__ = "finder_saved"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "ref", name="uq_finder_saved"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # "course" or "pathway"
    ref: Mapped[str] = mapped_column(sa.String(500))  # specification id, or stacking target id
    title: Mapped[dict[str, Any]] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class FinderNotificationRow(Base):
    __tablename__ = "finder_notifications"
    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "specification_id", "start_date", name="uq_finder_notification"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    specification_id: Mapped[str] = mapped_column(sa.Uuid(as_uuid=False))
    start_date: Mapped[date] = mapped_column(sa.Date)
    email: Mapped[str] = mapped_column(sa.String(320))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
