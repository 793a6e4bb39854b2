"""Rendering and signing the credentials of a chunk, in this process or in a pool of processes.

A `SigningBatch` carries what rendering needs: the specification, the issuer profile, and per
credential its award data and status entries. A pool worker also gets the key's secret bytes,
sent through the pool's pipe and held in memory only (`PrivateKey` itself refuses to be
pickled); a key that lives in an HSM never leaves it, and its chunks are signed here.
`sign_batch` returns, in order, a signed document as JSON text (cheap to send back, stored as
it is) or the `Refusal` that names what to fix.
The job's own process allocates status entries and stores the results: on SQLite only one
process writes, and the workers never touch the database.

The ``signing_processes`` setting says how many processes sign (default: the cores this
process may use, when there are two or more; 0 signs in the job's own process). Celery workers
sign in their own processes: the workers are the parallelism there.

The pool's processes never outlive the server: the app closes the pool when it shuts down,
and each worker exits by itself when the process that started it dies (killed, crashed), so
no signing process is left running, holding key material, under PID 1.
"""

from __future__ import annotations

import atexit
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from microcred.config import current_settings
from microcred.crypto import data_integrity
from microcred.crypto.compiled import check_safe
from microcred.crypto.keys import PrivateKey
from microcred.crypto.suites import rdfc
from microcred.crypto.suites.registry import suite_named
from microcred.domain.specification import Specification
from microcred.formats.jsonld import UnknownContext, UnsafeDocument
from microcred.formats.ob3 import AwardData, IssuerProfile, Ob3Error, render_achievement_credential
from microcred.services.issuing import IssuingError, unsafe_refusal

log = logging.getLogger(__name__)

# Below this many new credentials a chunk is signed in the job's own process: the round trip
# to the pool would cost more than it saves.
POOL_THRESHOLD = 8


@dataclass(frozen=True)
class Refusal:
    """A credential that was not signed; ``where`` names the input to fix."""

    where: str
    message: str

    def error(self) -> IssuingError:
        return IssuingError(self.where, self.message)


@dataclass(frozen=True)
class SigningBatch:
    specification: Specification
    issuer: IssuerProfile
    spec_url: str
    spec_version: str
    suite: str
    verification_method: str
    awards: list[tuple[AwardData, list[dict[str, Any]]]]  # award, its credentialStatus


def sign_batch(batch: SigningBatch, key: PrivateKey) -> list[str | Refusal]:
    """Return each award's signed credential as JSON text, or why it cannot be issued, in
    order."""
    return [sign_one(batch, key, award, entries) for award, entries in batch.awards]


@dataclass(frozen=True)
class _KeyMaterial:
    algorithm: str
    secret: bytes = field(repr=False)


def _sign_in_worker(material: _KeyMaterial, batch: SigningBatch) -> list[str | Refusal]:
    return sign_batch(batch, PrivateKey.from_secret_bytes(material.algorithm, material.secret))


def sign_one(
    batch: SigningBatch, key: PrivateKey, award: AwardData, entries: list[dict[str, Any]]
) -> str | Refusal:
    """Return one award's credential rendered with its status entries and signed, as JSON."""
    try:
        credential = render_achievement_credential(
            batch.specification,
            award,
            batch.issuer,
            spec_url=batch.spec_url,
            spec_version=batch.spec_version,
        )
        credential["credentialStatus"] = entries
        if suite_named(batch.suite).canonicalize is not rdfc:
            check_safe(credential)  # cheap for a shape already compiled from a safe document
        signed = data_integrity.sign(
            credential, key, suite=batch.suite, verification_method=batch.verification_method
        )
        return json.dumps(signed)
    except Ob3Error as error:
        return Refusal(error.where, error.message)
    except data_integrity.SigningError as error:
        return Refusal("suite", str(error))
    except (UnsafeDocument, UnknownContext) as error:
        refusal = unsafe_refusal(error)
        return Refusal(refusal.where, refusal.message)


def split(batch: SigningBatch, parts: int) -> list[SigningBatch]:
    """Return ``batch`` cut into at most ``parts`` batches of consecutive awards."""
    size = max(1, -(-len(batch.awards) // max(parts, 1)))
    return [
        replace(batch, awards=batch.awards[start : start + size])
        for start in range(0, len(batch.awards), size)
    ]


class SigningPool:
    """Worker processes that run `sign_batch`; started on first use."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def sign(self, batch: SigningBatch, key: PrivateKey) -> Iterator[list[str | Refusal]]:
        """Hand ``batch`` to the workers now; return its results part by part, in order, as
        the workers finish them (the caller stores one part while the workers sign the next,
        or prepares another chunk meanwhile)."""
        material = _KeyMaterial(key.algorithm, key.secret_bytes())
        # Two parts per worker: a worker starts the next part while the first is being stored.
        parts = split(batch, 2 * self.processes)
        try:
            futures = [self._pool().submit(_sign_in_worker, material, part) for part in parts]
        except BrokenProcessPool:  # a worker died since the last chunk: start a new pool
            self.close()
            futures = [self._pool().submit(_sign_in_worker, material, part) for part in parts]
        return self._results(parts, futures, key)

    def _results(
        self, parts: list[SigningBatch], futures: list[Future[list[str | Refusal]]], key: PrivateKey
    ) -> Iterator[list[str | Refusal]]:
        for part, future in zip(parts, futures, strict=True):
            try:
                yield future.result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory): sign here, start a new pool next time.
                log.warning("a signing process died; signing this part in the job's process")
                self.close()
                yield sign_batch(part, key)

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # forkserver: workers start clean, not as copies of a process holding database
                # connections and threads; the module is imported once, in the server.
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__])
                self._executor = ProcessPoolExecutor(
                    self.processes, mp_context=context, initializer=exit_with_parent
                )
            return self._executor


def exit_with_parent() -> None:
    """Make this pool worker exit as soon as the process that started the pool is gone.

    The worker is forked by the pool's fork server, not by the server itself, so the kernel's
    parent-death signal would watch the wrong process (and the fork server stays up while a
    worker holds its pipe). Instead a thread waits on the pipe multiprocessing keeps to the
    process that asked for the worker: it reads end-of-file the moment that process dies,
    however it dies, and at once if it is gone already.
    """
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(
            target=_exit_when_ready, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()


def _exit_when_ready(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def signing_processes() -> int:
    """Return how many processes sign bulk chunks (the ``signing_processes`` setting)."""
    if _in_own_process:
        return 0
    configured = current_settings().signing_processes
    if configured is not None:
        return configured
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores if cores and cores > 1 else 0


_shared: SigningPool | None = None
_shared_lock = threading.Lock()
_in_own_process = False


def sign_in_own_process() -> None:
    """Make every chunk of this process be signed in the process itself (a Celery worker,
    whose worker processes are the parallelism)."""
    global _in_own_process
    _in_own_process = True


def close_shared_pool() -> None:
    """Stop this process's signing pool, if it has one (the server shutting down)."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.close()


def shared_pool() -> SigningPool | None:
    """Return this process's signing pool, or None when chunks are signed in-process."""
    global _shared
    processes = signing_processes()
    with _shared_lock:
        # A daemonic process (a Celery prefork child) may not start processes of its own.
        if processes == 0 or multiprocessing.current_process().daemon:
            return None
        if _shared is None or _shared.processes != processes:
            if _shared is not None:
                _shared.close()
            _shared = SigningPool(processes)
            atexit.register(_shared.close)
        return _shared


def sign_all(
    batch: SigningBatch, key: PrivateKey, pool: SigningPool | None
) -> Iterator[list[str | Refusal]]:
    """Return the signed credentials of ``batch`` part by part: started in the pool at once
    when one is given, the batch is big enough and the key is a software key; else signed
    here as the parts are asked for."""
    if pool is None or len(batch.awards) < POOL_THRESHOLD or type(key) is not PrivateKey:
        return (sign_batch(batch, key) for _ in range(1))
    return pool.sign(batch, key)
