"""The in-process runner: one background thread doing jobs one after another.

The web app starts one when it starts (see `microcred.app`): it takes up every unfinished job
in the database and runs the hooks owed to awards, so a server killed half-way through a job
finishes it when it comes back. `stop` lets the thread finish its current chunk and ends it;
the job it was doing stays running on disk and resumes at the next start.
"""

from __future__ import annotations

import logging
import queue
import threading

from microcred.jobs.context import JobContext
from microcred.jobs.model import unfinished_jobs
from microcred.jobs.running import RETRIES, run_job

log = logging.getLogger(__name__)

OWED_HOOKS = "owed-hooks"  # a queue item: run every hook owed to an award
STOP = "stop"


class InProcessRunner:
    """Run jobs on a daemon thread of this process."""

    def __init__(self, context: JobContext) -> None:
        self.context = context
        self._queue: queue.Queue[str] = queue.Queue()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._work, name="microcred-jobs", daemon=True)
        self._thread.start()

    def submit(self, job_id: str) -> None:
        self._queue.put(job_id)

    def resume_unfinished(self) -> int:
        """Queue every job left queued or running (by a process that died), then the hooks
        owed to single awards; return how many jobs."""
        jobs = unfinished_jobs(self.context.db)
        for job in jobs:
            self.submit(job.id)
        self._queue.put(OWED_HOOKS)
        return len(jobs)

    def wait_idle(self) -> None:
        """Block until every submitted job has been worked on (for tests and the CLI)."""
        self._queue.join()

    def stop(self, timeout: float = 30.0) -> bool:
        """Finish the chunk in hand, end the thread; return whether it ended within ``timeout``."""
        self._stopping.set()
        self._queue.put(STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item == STOP or self._stopping.is_set():
                    return
                if item == OWED_HOOKS:
                    self.context.awards.run_owed_hooks(tries=RETRIES)
                else:
                    run_job(self.context, item, keep_going=lambda: not self._stopping.is_set())
            except Exception:  # noqa: BLE001 - one job's crash must not stop the runner
                log.exception("job %s stopped", item)
            finally:
                self._queue.task_done()
