"""Which runner does the jobs: Celery when MICROCRED_BROKER_URL is set, else this process."""

from __future__ import annotations

from typing import Protocol

from microcred.config import current_settings
from microcred.jobs.context import JobContext


class JobRunner(Protocol):
    def submit(self, job_id: str) -> None: ...

    def resume_unfinished(self) -> int: ...

    def stop(self, timeout: float = 30.0) -> bool: ...


def configured_broker_url() -> str:
    """Return the broker's URL (``broker_url`` setting), or "" when jobs run in-process."""
    return current_settings().broker_url.get_secret_value()


def runner_for(context: JobContext, broker_url: str | None = None) -> JobRunner:
    """Return the Celery runner when a broker is configured, else an in-process runner.

    Celery (the ``scale`` extra) is imported only when a broker is configured.
    """
    if broker_url if broker_url is not None else configured_broker_url():
        from microcred.jobs.celery_app import CeleryRunner

        return CeleryRunner(context)
    from microcred.jobs.inprocess import InProcessRunner

    return InProcessRunner(context)
