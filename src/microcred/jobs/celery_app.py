"""Jobs on Celery workers: MICROCRED_BROKER_URL (Redis or RabbitMQ) and a shared database.

A task does chunks of one job until none is left; a job is sent as one task per chunk (at most
``MAX_TASKS``), and workers take different chunks. Tasks are acknowledged late, and a worker
that starts sends a task for every unfinished job, so a worker killed half-way is made good by
the next one to start.
"""

from __future__ import annotations

from celery import Celery
from celery.signals import setup_logging, worker_ready

from microcred.config import current_settings
from microcred.jobs.context import JobContext, job_context
from microcred.jobs.model import job_view, unfinished_jobs
from microcred.jobs.runner import configured_broker_url
from microcred.jobs.running import run_job
from microcred.services.bulk.signing import sign_in_own_process

MAX_TASKS = 16
TASK = "microcred.run_job"


def make_celery(url: str | None = None) -> Celery:
    app = Celery("microcred", broker=url or configured_broker_url() or "memory://")
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        task_default_queue=current_settings().job_queue,
    )
    return app


celery = make_celery()
_context: JobContext | None = None


def _worker_context() -> JobContext:
    global _context
    if _context is None:
        # The workers are the parallelism: each signs its chunks itself (services.bulk.signing).
        sign_in_own_process()
        _context = job_context(current_settings())
    return _context


@celery.task(name=TASK)
def run_job_task(job_id: str) -> None:
    run_job(_worker_context(), job_id)


@setup_logging.connect
def _log_like_the_api(**_: object) -> None:
    """Workers log as the API does (JSON lines, secrets masked), not in Celery's own format."""
    from microcred.observability.log_format import configure_logging

    configure_logging(current_settings())


@worker_ready.connect
def _resume_unfinished(**_: object) -> None:
    for job in unfinished_jobs(_worker_context().db):
        send_job(job.id, tasks=MAX_TASKS)


def send_job(job_id: str, tasks: int = 1) -> None:
    for _ in range(tasks):
        celery.send_task(TASK, args=[job_id])


class CeleryRunner:
    """Send jobs to the Celery workers behind MICROCRED_BROKER_URL."""

    def __init__(self, context: JobContext) -> None:
        self.context = context

    def submit(self, job_id: str) -> None:
        job = job_view(self.context.db, job_id)
        chunks = max(1, -(-job.total // 100))
        send_job(job_id, tasks=min(chunks, MAX_TASKS))

    def resume_unfinished(self) -> int:
        return 0  # workers take up unfinished jobs when they start

    def stop(self, timeout: float = 30.0) -> bool:
        return True  # the workers run on; nothing of ours to stop
