"""The in-process runner: one background thread doing jobs one after another.

`microcred serve` starts one; at start it takes up every unfinished job in the database, so a
server killed half-way through a job finishes it when it comes back.
"""

from __future__ import annotations

import logging
import queue
import threading

from microcred.jobs.context import JobContext
from microcred.jobs.model import unfinished_jobs
from microcred.jobs.running import run_job

log = logging.getLogger(__name__)


class InProcessRunner:
    """Run jobs on a daemon thread of this process."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self._queue: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="microcred-jobs", daemon=True)
        self._thread.start()

    def submit(self, job_id: str) -> None:
        self._queue.put(job_id)

    def resume_unfinished(self) -> int:
        """Queue every job left queued or running (by a process that died); return how many."""
        jobs = unfinished_jobs(self.context.db)
        for job in jobs:
            self.submit(job.id)
        return len(jobs)

    def wait_idle(self) -> None:
        """Block until every submitted job has been worked on (for tests and the CLI)."""
        self._queue.join()

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            try:
                run_job(self.context, job_id)
            except Exception:  # noqa: BLE001 - one job's crash must not stop the runner
                log.exception("job %s stopped", job_id)
            finally:
                self._queue.task_done()
