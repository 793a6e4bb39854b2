"""Waiting on other processes without timing luck: deadlines scaled by MICROCRED_TEST_SLOWDOWN.

A test waits for a positive event (a row written, a port answering, an e-mail received) and
polls for it until a deadline; it never sleeps a fixed time and then asserts that something did
not happen. Deadlines are generous and multiplied by ``MICROCRED_TEST_SLOWDOWN`` (a number,
default 1), so a slow or loaded machine raises one variable instead of editing tests.

Stopping a process the test started never fails the test: SIGTERM, a scaled wait, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable

SLOWDOWN_VARIABLE = "MICROCRED_TEST_SLOWDOWN"


def slowdown() -> float:
    """Return the factor every deadline of the suite is multiplied by (at least 1)."""
    text = os.environ.get(SLOWDOWN_VARIABLE, "").strip()
    if not text:
        return 1.0
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"{SLOWDOWN_VARIABLE} must be a number, such as 3, not {text!r}") from None
    return max(factor, 1.0)


def scaled(seconds: float) -> float:
    """Return ``seconds`` multiplied by the slowdown factor."""
    return seconds * slowdown()


def wait_for(
    condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05
) -> None:
    """Return as soon as ``condition()`` is true; fail after the scaled ``timeout`` seconds."""
    limit = scaled(timeout)
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit:.0f} s waiting for {what}")
        time.sleep(interval)


def stop(process: subprocess.Popen[bytes], grace: float = 30.0, group: bool = False) -> None:
    """End ``process`` (with its process group when ``group``): SIGTERM, wait up to the scaled
    ``grace`` seconds, then SIGKILL. A slow shutdown is not a failure of the test."""
    stop_all([process], grace, group)


def stop_all(
    processes: Iterable[subprocess.Popen[bytes]], grace: float = 30.0, group: bool = False
) -> None:
    """SIGTERM every process at once, give them the scaled ``grace`` seconds together, then
    SIGKILL whichever is left (and, with ``group``, what is left of each process group)."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            _signal(process, signal.SIGTERM, group)
    deadline = time.monotonic() + scaled(grace)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(max(deadline - time.monotonic(), 0.01))
        kill(process, group)


def kill(process: subprocess.Popen[bytes], group: bool = False) -> None:
    """SIGKILL ``process`` (and its group when ``group``) and reap it."""
    _signal(process, signal.SIGKILL, group)
    process.wait()


def _signal(process: subprocess.Popen[bytes], number: int, group: bool) -> None:
    try:
        if group:
            os.killpg(process.pid, number)
        elif process.poll() is None:
            process.send_signal(number)
    except ProcessLookupError:
        pass  # already gone
