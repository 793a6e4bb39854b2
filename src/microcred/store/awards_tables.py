"""The awards table: one row per award of a specification version to one learner.

An award points at the credential it produced (``credential_id``, unique) and carries the
learner's details as given, so that delivery can reach the learner and a registrar can find
the award again. ``idempotency_key`` (sha256 of specification id, version, learner key and
attempt) is unique: awarding the same learner the same version twice issues nothing the second
time, even when two processes try at once. ``replaced_by`` links a corrected or renewed award
to the award that took its place.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, UtcDateTime, utc_now


class AwardRow(Base):
    __tablename__ = "awards"
    __table_args__ = (sa.CheckConstraint("attempt >= 1", name="ck_award_attempt"),)

    id: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False), primary_key=True, default=lambda: str(uuid.uuid4())
    )
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="RESTRICT"), index=True
    )
    specification_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    specification_version: Mapped[int] = mapped_column(sa.Integer)
    credential_id: Mapped[str] = mapped_column(
        sa.ForeignKey("issued_credentials.id", ondelete="RESTRICT"), unique=True
    )
    learner_name: Mapped[str | None] = mapped_column(sa.String(300))
    learner_email: Mapped[str | None] = mapped_column(sa.String(320), index=True)
    learner_institutional_id: Mapped[str | None] = mapped_column(sa.String(200))
    learner_did: Mapped[str | None] = mapped_column(sa.String(500))
    learner_date_of_birth: Mapped[date | None] = mapped_column(sa.Date)
    learner_language: Mapped[str | None] = mapped_column(sa.String(35))
    grade: Mapped[str | None] = mapped_column(sa.String(100))
    awarded_on: Mapped[date] = mapped_column(sa.Date)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    idempotency_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    attempt: Mapped[int] = mapped_column(sa.Integer, default=1)
    job_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    replaced_by: Mapped[str | None] = mapped_column(sa.Uuid(as_uuid=False))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class AwardHookRow(Base):
    """One ``on_issued`` hook owed to one award (see jobs/HOOKS.md for the contract).

    Written in the award's own transaction, one row per hook registered then; ``done_at`` is
    set once the hook has run. A row with ``done_at`` empty is owed: it is run again after a
    crash. ``claimed_at`` is the lease of the process running it now, so two processes never
    run the same hook for the same award at once.
    """

    __tablename__ = "award_hooks"

    award_id: Mapped[str] = mapped_column(
        sa.ForeignKey("awards.id", ondelete="CASCADE"), primary_key=True
    )
    hook: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    job_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    tries: Mapped[int] = mapped_column(sa.Integer, default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
