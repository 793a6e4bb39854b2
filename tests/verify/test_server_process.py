"""The real `microcred serve` process: a valid verification is answered while hostile ones are
in flight, and SIGTERM stops the server with work still in flight (generous deadlines, polled)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostile_credentials import blank_profile_clique, with_parent_orgs

MICROCRED = str(Path(sys.executable).parent / "microcred")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _poll(condition: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


@pytest.fixture
def server(tmp_path: Path) -> Any:
    port = _free_port()
    env = {**os.environ, "MICROCRED_SECRET_KEY": "test-key", "MICROCRED_DATA_DIR": str(tmp_path)}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            MICROCRED,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--migrate",
            "--db",
            f"sqlite:///{tmp_path / 'microcred.db'}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _poll(up, 120, "the server to answer /healthz")
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        log.close()


def _verify(base: str, credential: Any) -> int:
    body = json.dumps({"verifiableCredential": credential})
    response = httpx.post(
        f"{base}/credentials/verify",
        content=body,
        headers={"content-type": "application/json"},
        timeout=120,
    )
    return response.status_code


def test_valid_request_answered_amid_hostile_ones_and_sigterm_stops_the_server(
    server: Any, credential: dict[str, Any]
) -> None:
    process, base = server
    hostile = with_parent_orgs(credential, blank_profile_clique(30))
    stop = threading.Event()
    hostile_answers: list[int] = []

    def keep_attacking() -> None:
        while not stop.is_set():
            try:
                hostile_answers.append(_verify(base, hostile))
            except httpx.HTTPError:
                return  # the server went away: what SIGTERM is for

    attackers = [threading.Thread(target=keep_attacking, daemon=True) for _ in range(2)]
    for attacker in attackers:
        attacker.start()
    _poll(lambda: len(hostile_answers) >= 2, 120, "hostile requests to be answered")
    # Both slots are kept busy by the attackers; a valid request still gets its verdict.
    assert _verify(base, credential) == 200
    assert set(hostile_answers) <= {424, 503}  # refused for their cost: indeterminate
    assert 424 in hostile_answers

    process.send_signal(signal.SIGTERM)
    process.wait(60)  # raises TimeoutExpired if the server hangs on work in flight
    stop.set()
    for attacker in attackers:
        attacker.join(60)
