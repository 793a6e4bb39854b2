"""The jobs tables: long work (bulk awards, revocations, re-issues) and its progress.

A job is cut into chunks when it is created; each chunk is done in one transaction that also
marks the chunk done and adds its counts to the job, so the progress on disk is always exactly
the work committed. A process claims a chunk by writing its name and the time (``claimed_by``,
``claimed_at``); a claim whose process died (same host, pid gone) or whose lease ran out may be
taken over, and that is how a job killed half-way resumes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from microcred.store.base import Base, Document, UtcDateTime, utc_now


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_job_state"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    institution: Mapped[str] = mapped_column(sa.String(100), index=True)  # the slug
    payload: Mapped[dict[str, Any]] = mapped_column(Document)  # what every chunk shares
    payload_digest: Mapped[str] = mapped_column(sa.String(64), index=True)
    state: Mapped[str] = mapped_column(sa.String(20), default="queued", index=True)
    total: Mapped[int] = mapped_column(sa.Integer, default=0)
    done: Mapped[int] = mapped_column(sa.Integer, default=0)
    failed: Mapped[int] = mapped_column(sa.Integer, default=0)
    unchanged: Mapped[int] = mapped_column(sa.Integer, default=0)  # done before: nothing to do
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class JobChunkRow(Base):
    __tablename__ = "job_chunks"

    job_id: Mapped[str] = mapped_column(
        sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(Document)  # each with its "row" number
    state: Mapped[str] = mapped_column(sa.String(20), default="pending")  # pending | done
    claimed_by: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claims: Mapped[int] = mapped_column(sa.Integer, default=0)
    done: Mapped[int] = mapped_column(sa.Integer, default=0)
    failed: Mapped[int] = mapped_column(sa.Integer, default=0)
    unchanged: Mapped[int] = mapped_column(sa.Integer, default=0)
    failures: Mapped[list[dict[str, Any]]] = mapped_column(Document, default=list)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class JobUploadRow(Base):
    """A file uploaded for a bulk job and previewed, kept until the job is confirmed.

    The preview page shows what the file would do; confirming starts the job from the stored
    bytes, so the file is read once and the same file is what runs.
    """

    __tablename__ = "job_uploads"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    institution: Mapped[str] = mapped_column(sa.String(100), index=True)  # the slug
    specification_id: Mapped[str] = mapped_column(sa.String(36))
    filename: Mapped[str] = mapped_column(sa.String(300))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    options: Mapped[dict[str, Any]] = mapped_column(Document)  # date, reason, version
    created_by: Mapped[str] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
