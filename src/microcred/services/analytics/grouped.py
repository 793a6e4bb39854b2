"""Recording verifications under load: the checks of many requests in one transaction.

A busy verifier recording one row per request pays a transaction and a commit each time, and
on SQLite its threads queue for the one write lock (sleeping in SQLite's busy handler). Here
one writer thread takes every check queued meanwhile and writes them together. Each caller
still waits until its own row is committed (group commit), so an answered verification is
never lost in a crash, and what `record_verification` records and refuses is unchanged.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field

import sqlalchemy as sa

from microcred.services.analytics.recording import Verification, write_verifications
from microcred.store.database import Database

log = logging.getLogger(__name__)

MAX_GROUP = 256
# The writer thread ends when nothing came for this long; the next check starts another.
IDLE_SECONDS = 2.0


@dataclass
class _Waiting:
    verification: Verification
    written: threading.Event = field(default_factory=threading.Event)
    added: bool = False


class GroupedRecorder:
    """`record_verification`, with the rows of concurrent callers written in one transaction."""

    def __init__(self, database: Database, max_group: int = MAX_GROUP) -> None:
        self.database = database
        self.max_group = max_group
        self.transactions = 0  # how many transactions wrote checks (to see the grouping)
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None

    @property
    def queued(self) -> int:
        """How many checks wait for the writer thread to take them."""
        return self._queue.qsize()

    def record(self, verification: Verification | None) -> bool:
        """Return True once the check is committed; False when it is not ours to record.

        ``verification`` is what `verification_of` makes of a check (None: nothing to record).
        """
        if verification is None:
            return False
        waiting = _Waiting(verification)
        with self._lock:
            self._queue.put(waiting)
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write, name="analytics-writer", daemon=True
                )
                self._writer.start()
        waiting.written.wait()
        return waiting.added

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
