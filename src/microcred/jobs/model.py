"""Jobs as stored: create one (cut into chunks), read its progress and its failures.

A job's counts are the sums of its committed chunks, so they never run ahead of the work.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from microcred.config import current_settings
from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.jobs_tables import JobChunkRow, JobRow

DEFAULT_CHUNK_SIZE = 100
UNFINISHED = ("queued", "running")


class JobNotFound(LookupError):
    pass


class JobView(BaseModel):
    """Where a job stands."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: str
    kind: str
    institution: str
    payload: dict[str, Any]
    state: str
    total: int
    done: int
    failed: int
    unchanged: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None

    @property
    def processed(self) -> int:
        return self.done + self.failed + self.unchanged

    @property
    def remaining(self) -> int:
        return max(self.total - self.processed, 0)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)


def chunk_size(default: int = DEFAULT_CHUNK_SIZE) -> int:
    """Return the rows per chunk: the ``job_chunk_size`` setting when set, else ``default``."""
    return current_settings().job_chunk_size or default


def digest_of(kind: str, payload: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """Return the sha256 of what a job is asked to do (the same upload gives the same digest)."""
    text = json.dumps([kind, payload, rows], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def create_job(
    db: Database,
    kind: str,
    institution: str,
    payload: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    rejected: list[dict[str, Any]] | None = None,
    size: int | None = None,
) -> JobView:
    """Store a queued job of ``rows`` cut into chunks; ``rejected`` rows count as failed now.

    Each row is a JSON object with its ``row`` number; ``payload`` gets the job's id as
    ``job_id``, so each chunk knows which job it belongs to.
    """
    job_id = str(uuid.uuid4())
    size = size or chunk_size()
    rejected = rejected or []
    digest = digest_of(kind, payload, rows + rejected)
    with db.transaction() as session:
        session.add(
            JobRow(
                id=job_id,
                kind=kind,
                institution=institution,
                payload={**payload, "job_id": job_id},
                payload_digest=digest,
                state="queued",
                total=len(rows) + len(rejected),
                done=0,
                failed=len(rejected),
                unchanged=0,
                created_at=utc_now(),
            )
        )
        session.flush()
        if rejected:  # chunk 0 holds the rows refused before the job began
            session.add(
                JobChunkRow(
                    job_id=job_id,
                    number=0,
                    rows=[],
                    state="done",
                    claims=0,
                    done=0,
                    failed=len(rejected),
                    unchanged=0,
                    failures=rejected,
                    finished_at=utc_now(),
                )
            )
        for number, start in enumerate(range(0, len(rows), size), start=1):
            session.add(
                JobChunkRow(
                    job_id=job_id,
                    number=number,
                    rows=rows[start : start + size],
                    state="pending",
                    claims=0,
                    done=0,
                    failed=0,
                    unchanged=0,
                    failures=[],
                )
            )
        if not rows:
            session.execute(
                sa.update(JobRow)
                .where(JobRow.id == job_id)
                .values(state="done", started_at=utc_now(), finished_at=utc_now())
            )
    return job_view(db, job_id)


def job_view(db: Database, job_id: str) -> JobView:
    """Return where a job stands; raises `JobNotFound`."""
    with db.transaction(write=False) as session:
        row = session.get(JobRow, job_id)
        if row is None:
            raise JobNotFound(f"no job has the id {job_id!r}")
        return JobView.model_validate(row)


def job_failures(db: Database, job_id: str) -> list[dict[str, Any]]:
    """Return every failed row of a job, by row number: ``{row, reason, raw}``."""
    with db.transaction(write=False) as session:
        lists = session.scalars(
            sa.select(JobChunkRow.failures).where(JobChunkRow.job_id == job_id)
        ).all()
    return sorted((failure for chunk in lists for failure in chunk), key=lambda f: f["row"])


def unfinished_jobs(db: Database, digest: str | None = None) -> list[JobView]:
    """Return jobs queued or running (those with ``digest`` only, if given), oldest first."""
    statement = sa.select(JobRow).where(JobRow.state.in_(UNFINISHED))
    if digest is not None:
        statement = statement.where(JobRow.payload_digest == digest)
    with db.transaction(write=False) as session:
        rows = session.scalars(statement.order_by(JobRow.created_at)).all()
        return [JobView.model_validate(row) for row in rows]


def recent_jobs(db: Database, institution: str, limit: int = 20) -> list[JobView]:
    with db.transaction(write=False) as session:
        rows = session.scalars(
            sa.select(JobRow)
            .where(JobRow.institution == institution)
            .order_by(JobRow.created_at.desc())
            .limit(limit)
        ).all()
        return [JobView.model_validate(row) for row in rows]
