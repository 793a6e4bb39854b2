"""The signing processes never outlive the server: closed when the app shuts down, and gone
by themselves when the process that started them is killed."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.services.bulk.signing import SigningPool, close_shared_pool, shared_pool

# Far beyond what a worker needs to notice (it is woken at once); a stuck worker fails here.
DEADLINE_SECONDS = 30.0

# A process that starts a pool of two signing workers, prints their ids, and waits.
POOL_OWNER = """
import os, time
from microcred.services.bulk.signing import SigningPool
pool = SigningPool(2)
executor = pool._pool()
for future in [executor.submit(time.sleep, 0.5) for _ in range(2)]:
    future.result()
print(sorted(executor._processes), flush=True)
time.sleep(600)
"""


def running(pid: int) -> bool:
    """Is ``pid`` a live process (not gone, not a zombie waiting to be reaped)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def still_running_at_deadline(pids: list[int]) -> list[int]:
    """Return the processes of ``pids`` still running once all are gone or the deadline passed."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if running(pid)]


def worker_ids(pool: SigningPool) -> list[int]:
    """Start ``pool``'s two workers and return their process ids."""
    executor = pool._pool()
    for future in [executor.submit(time.sleep, 0.5) for _ in range(2)]:
        future.result()
    return sorted(executor._processes)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_the_workers_exit_when_the_process_that_started_them_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", POOL_OWNER], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        workers = ast.literal_eval(owner.stdout.readline())
        assert len(workers) == 2 and all(running(pid) for pid in workers)
        os.kill(owner.pid, signal.SIGKILL)
        left = still_running_at_deadline(workers)
        for pid in left:  # do not leave them behind when the test fails
            os.kill(pid, signal.SIGKILL)
        assert left == []
    finally:
        owner.kill()
        owner.wait()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_the_app_closes_the_signing_pool_when_it_shuts_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_PROCESSES", "2")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'microcred.db'}", secret_key="k")
    with TestClient(create_app(settings, migrate=True)):
        pool = shared_pool()
        assert pool is not None
        workers = worker_ids(pool)
        assert all(running(pid) for pid in workers)
    assert still_running_at_deadline(workers) == []
    assert shared_pool() is not pool, "a pool closed at shutdown is not handed out again"
    close_shared_pool()
