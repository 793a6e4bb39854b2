"""Which runner does the jobs: Celery when MICROCRED_BROKER_URL is set, else this process."""

from __future__ import annotations

from typing import Protocol

from microcred.jobs.context import JobContext


class JobRunner(Protocol):
    def submit(self, job_id: str) -> None: ...

    def resume_unfinished(self) -> int: ...

    def stop(self, timeout: float = 30.0) -> bool: ...


def runner_for(context: JobContext, broker_url: str | None = None) -> JobRunner:
    """Return the Celery runner when a broker is configured, else an in-process runner."""
    from microcred.jobs.celery_app import broker_url as configured

    if broker_url if broker_url is not None else configured():
        from microcred.jobs.celery_app import CeleryRunner

        return CeleryRunner(context)
    from microcred.jobs.inprocess import InProcessRunner

    return InProcessRunner(context)
