"""Recording verifications under load: off the request path, many checks per transaction.

A busy verifier recording one row per request pays a transaction and a commit each time, and
on SQLite its threads queue for the one write lock. Here a request only queues its check and
goes on; one writer thread takes every check queued meanwhile and writes them together.
The queue is bounded: when the writer cannot keep up, further checks are dropped and counted
(`dropped`, and the `microcred_analytics_dropped` metric) rather than slowing verification.
Readers of the figures call `flush` first, and the server flushes when it stops, so what
was answered is recorded unless the process dies or the queue overflowed.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from microcred.observability.metrics import ANALYTICS_DROPPED
from microcred.services.analytics.recording import Verification, write_verifications
from microcred.store.database import Database

log = logging.getLogger(__name__)

MAX_GROUP = 256
MAX_QUEUED = 10_000
# The writer thread ends when nothing came for this long; the next check starts another.
IDLE_SECONDS = 2.0


@dataclass
class _Waiting:
    verification: Verification
    written: threading.Event = field(default_factory=threading.Event)
    added: bool = False


class GroupedRecorder:
    """`record_verification`, queued: rows of many callers written in one transaction."""

    def __init__(
        self, database: Database, max_group: int = MAX_GROUP, max_queued: int = MAX_QUEUED
    ) -> None:
        self.database = database
        self.max_group = max_group
        self.max_queued = max_queued
        self.transactions = 0  # how many transactions wrote checks (to see the grouping)
        self.dropped = 0  # checks not recorded because the queue was full
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._queued_total = 0
        self._done_total = 0
        self._writer: threading.Thread | None = None

    @property
    def queued(self) -> int:
        """How many checks wait for the writer thread to take them."""
        return self._queue.qsize()

    def record(self, verification: Verification | None, *, wait: bool = False) -> bool:
        """Queue a check; return whether it was queued (False: nothing to record, or dropped).

        ``verification`` is what `verification_of` makes of a check (None: nothing to record).
        With ``wait``, return once it is committed: True if a row was added (False when the
        credential is not one issued here).
        """
        if verification is None:
            return False
        waiting = _Waiting(verification)
        with self._lock:
            if self._queued_total - self._done_total >= self.max_queued:
                self.dropped += 1
                ANALYTICS_DROPPED.inc()
                return False
            self._queued_total += 1
            self._queue.put(waiting)
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write, name="analytics-writer", daemon=True
                )
                self._writer.start()
        if not wait:
            return True
        waiting.written.wait()
        return waiting.added

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every check queued before this call is written; False if time ran out."""
        give_up = time.monotonic() + timeout
        with self._lock:
            target = self._queued_total
            while self._done_total < target:
                left = give_up - time.monotonic()
                if left <= 0:
                    return False
                self._done.wait(left)
        return True

    def _write(self) -> None:
        while True:
            try:
                group = [self._queue.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                with self._lock:  # record() queues under this lock: nothing slips past
                    if self._queue.empty():
                        self._writer = None
                        return
                continue
            while len(group) < self.max_group:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write_group(group)

    def _write_group(self, group: list[_Waiting]) -> None:
        try:
            with self.database.transaction() as session:
                added = write_verifications(session, [w.verification for w in group])
            self.transactions += 1
        except sa.exc.SQLAlchemyError:
            log.warning(
                "%d verification(s) could not be recorded for analytics", len(group), exc_info=True
            )
            added = [False] * len(group)
        except Exception:  # a caller must never wait forever
            log.exception("recording %d verification(s) for analytics failed", len(group))
            added = [False] * len(group)
        for waiting, was_added in zip(group, added, strict=True):
            waiting.added = was_added
            waiting.written.set()
        with self._lock:
            self._done_total += len(group)
            self._done.notify_all()
