"""Doing a job: take the next pending chunk, do it, commit it with the job's new counts.

The chunk is locked while it is worked on (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
workers take different chunks; SQLite lets one writer in at a time anyway). A process killed
half-way leaves its chunk uncommitted, so the chunk is still pending and the next run does it;
idempotency keys make even work that did commit safe to do twice. A chunk that keeps failing
(after ``RETRIES`` tries) marks the job failed with the error.

The ``on_issued`` hooks of a chunk's new awards run after the chunk commits; a job resumed
after a crash first runs the hooks its committed chunks still owe (see HOOKS.md).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.jobs.context import JobContext
from microcred.jobs.kinds import KINDS, JobKind
from microcred.jobs.model import JobView, job_view
from microcred.observability.metrics import JOB_CHUNK_SECONDS, JOB_SECONDS
from microcred.services.bulk.actions import ChunkOutcome
from microcred.services.bulk.ahead import AwardsAhead
from microcred.store.base import utc_now
from microcred.store.jobs_tables import JobChunkRow, JobRow

log = logging.getLogger(__name__)

RETRIES = 3
Progress = Callable[[JobView], None]
KeepGoing = Callable[[], bool]


def holder() -> str:
    """Return who is working: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(
    context: JobContext,
    job_id: str,
    progress: Progress | None = None,
    keep_going: KeepGoing | None = None,
) -> JobView:
    """Do every pending chunk of a job this process can take; return where the job stands.

    ``keep_going`` is asked before each chunk; when it says False the job is left running
    (its committed chunks stay done) for the next start to finish.
    """
    job = job_view(context.db, job_id)
    if job.finished:
        return job
    kind = KINDS[job.kind]
    _mark_running(context, job_id)
    context.awards.run_owed_hooks(job_id=job_id, tries=RETRIES)  # owed since a crash
    ahead = kind.ahead(context.awards, job.payload) if kind.ahead is not None else None
    while keep_going is None or keep_going():
        try:
            with JOB_CHUNK_SECONDS.labels(job.kind).time():
                did_one = _with_retries(lambda: run_next_chunk(context, job, kind, ahead))
        except Exception as error:  # noqa: BLE001 - recorded on the job, which then stops
            log.exception("job %s failed", job_id)
            _mark_failed(context, job_id, f"{type(error).__name__}: {error}")
            return _observed(job_view(context.db, job_id))
        if progress is not None:
            progress(job_view(context.db, job_id))
        if not did_one:
            finish_if_complete(context, job_id)
            return _observed(job_view(context.db, job_id))
    return job_view(context.db, job_id)


def _observed(job: JobView) -> JobView:
    """Time a job that has just ended (each process that saw it end counts it once)."""
    if job.finished and job.started_at and job.finished_at:
        seconds = (job.finished_at - job.started_at).total_seconds()
        JOB_SECONDS.labels(job.kind, job.state).observe(seconds)
    return job


def run_next_chunk(
    context: JobContext, job: JobView, kind: JobKind, ahead: AwardsAhead | None = None
) -> bool:
    """Do the next pending chunk nobody is working on; False when there is none.

    With ``ahead``, the chunk after it is prepared (handed to the signing pool) before this
    one is stored, so that it is being signed while this one is stored and its hooks run.
    """
    new_awards = []
    if kind.in_transaction is not None:
        try:
            with context.db.transaction() as session:
                chunk = _take_chunk(session, job.id)
                if chunk is None:
                    return False
                prepared = None
                if ahead is not None:
                    ahead.prepare(session, chunk.number, chunk.rows)
                    following = _following_chunk(session, job.id, chunk.number)
                    if following is not None:
                        ahead.prepare(session, *following)
                    prepared = ahead.take(chunk.number)
                outcome = kind.in_transaction(
                    context.awards, job.payload, chunk.rows, session, prepared
                )
                _record(session, chunk, outcome)
                new_awards = outcome.new_awards
        except Exception:
            if ahead is not None:
                ahead.forget()  # drawn in a transaction that did not commit: draw afresh
            raise
    else:
        with context.db.transaction(write=False) as session:
            number = _next_pending(session, job.id)
        if number is None:
            return False
        with context.db.transaction(write=False) as session:
            rows = session.get_one(JobChunkRow, (job.id, number)).rows
        assert kind.on_its_own is not None
        outcome = kind.on_its_own(context.awards, job.payload, rows)
        with context.db.transaction() as session:
            chunk = _take_chunk(session, job.id, number)
            if chunk is None:
                return True  # another process recorded it meanwhile; the work was idempotent
            _record(session, chunk, outcome)
    if new_awards:  # after the commit: delivery and other hooks
        context.awards.run_owed_hooks(awards=new_awards, tries=RETRIES)
    return True


def _take_chunk(session: Session, job_id: str, number: int | None = None) -> JobChunkRow | None:
    statement = sa.select(JobChunkRow).where(
        JobChunkRow.job_id == job_id, JobChunkRow.state == "pending"
    )
    if number is not None:
        statement = statement.where(JobChunkRow.number == number)
    statement = statement.order_by(JobChunkRow.number).limit(1)
    chunk = session.scalars(statement.with_for_update(skip_locked=True)).first()
    if chunk is not None:
        chunk.claimed_by = holder()
        chunk.claimed_at = utc_now()
        chunk.claims += 1
    return chunk


def _following_chunk(
    session: Session, job_id: str, number: int
) -> tuple[int, list[dict[str, Any]]] | None:
    """Return the number and rows of the first pending chunk after ``number``, if any."""
    found = session.execute(
        sa.select(JobChunkRow.number, JobChunkRow.rows)
        .where(
            JobChunkRow.job_id == job_id,
            JobChunkRow.state == "pending",
            JobChunkRow.number > number,
        )
        .order_by(JobChunkRow.number)
        .limit(1)
    ).first()
    return (found[0], found[1]) if found is not None else None


def _next_pending(session: Session, job_id: str) -> int | None:
    return session.scalar(
        sa.select(JobChunkRow.number)
        .where(JobChunkRow.job_id == job_id, JobChunkRow.state == "pending")
        .order_by(JobChunkRow.number)
        .limit(1)
    )


def _record(session: Session, chunk: JobChunkRow, outcome: ChunkOutcome) -> None:
    """Mark the chunk done and add its counts to the job, in the chunk's transaction."""
    chunk.state = "done"
    chunk.done = outcome.done
    chunk.unchanged = outcome.unchanged
    chunk.failed = len(outcome.failures)
    chunk.failures = outcome.failures
    chunk.finished_at = utc_now()
    session.flush()
    session.execute(
        sa.update(JobRow)
        .where(JobRow.id == chunk.job_id)
        .values(
            done=JobRow.done + outcome.done,
            unchanged=JobRow.unchanged + outcome.unchanged,
            failed=JobRow.failed + len(outcome.failures),
            heartbeat_at=utc_now(),
        )
    )


def _with_retries(work: Callable[[], bool]) -> bool:
    for attempt in range(1, RETRIES + 1):
        try:
            return work()
        except sa.exc.OperationalError:
            if attempt == RETRIES:
                raise
            log.warning("a chunk failed (try %d of %d); trying again", attempt, RETRIES)
            time.sleep(0.5 * 2**attempt)
    return False


def _mark_running(context: JobContext, job_id: str) -> None:
    now = utc_now()
    with context.db.transaction() as session:
        session.execute(
            sa.update(JobRow)
            .where(JobRow.id == job_id, JobRow.state.in_(("queued", "running")))
            .values(
                state="running",
                started_at=sa.func.coalesce(JobRow.started_at, now),
                heartbeat_at=now,
            )
        )


def finish_if_complete(context: JobContext, job_id: str) -> None:
    """Mark the job done once no chunk is pending (checked after the chunks committed)."""
    pending = sa.select(JobChunkRow.number).where(
        JobChunkRow.job_id == job_id, JobChunkRow.state == "pending"
    )
    with context.db.transaction() as session:
        session.execute(
            sa.update(JobRow)
            .where(JobRow.id == job_id, JobRow.state == "running", ~pending.exists())
            .values(state="done", finished_at=utc_now())
        )


def _mark_failed(context: JobContext, job_id: str, error: str) -> None:
    with context.db.transaction() as session:
        session.execute(
            sa.update(JobRow)
            .where(JobRow.id == job_id)
            .values(state="failed", error=error, finished_at=utc_now())
        )
