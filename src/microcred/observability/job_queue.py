"""The job queue as Prometheus sees it: read from the database at each scrape.

The database is the queue's truth (the broker only carries wake-ups), so every API process
reports the same depth, whichever workers are running.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from microcred.store.database import Database
from microcred.store.jobs_tables import JobChunkRow, JobRow

UNFINISHED = ("queued", "running")


class JobQueueCollector(Collector):
    """Gauges of the jobs waiting or running, and of the chunks still to do."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def collect(self) -> Iterator[GaugeMetricFamily]:
        jobs = GaugeMetricFamily(
            "microcred_jobs_unfinished", "Jobs queued or running, by state.", labels=["state"]
        )
        chunks = GaugeMetricFamily(
            "microcred_job_queue_depth",
            "Chunks of unfinished jobs still to do (each about MICROCRED_JOB_CHUNK_SIZE rows).",
        )
        with self.database.transaction(write=False) as session:
            by_state = dict(
                session.execute(
                    sa.select(JobRow.state, sa.func.count())
                    .where(JobRow.state.in_(UNFINISHED))
                    .group_by(JobRow.state)
                ).all()
            )
            pending = session.scalar(
                sa.select(sa.func.count())
                .select_from(JobChunkRow)
                .join(JobRow, JobRow.id == JobChunkRow.job_id)
                .where(JobRow.state.in_(UNFINISHED), JobChunkRow.state == "pending")
            )
        for state in UNFINISHED:
            jobs.add_metric([state], by_state.get(state, 0))
        chunks.add_metric([], pending or 0)
        yield jobs
        yield chunks
