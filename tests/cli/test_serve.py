"""``microcred demo`` end to end: the console script seeds, serves, and the catalogue answers."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from microcred.services.demo import demo_entries

MICROCRED = Path(sys.executable).parent / "microcred"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    """Run ``microcred demo`` on a free loopback port; yield its base URL once it answers."""
    port = free_port()
    command = [str(MICROCRED), "--db", f"sqlite:///{tmp_path / 'demo.db'}", "demo"]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                output, _ = server.communicate()
                pytest.fail(f"microcred demo stopped early:\n{output}")
            try:
                httpx.get(f"{base}/api/institutions", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("microcred demo did not answer within 60 seconds")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_demo_serves_the_seeded_catalogue(demo_server: str) -> None:
    api = httpx.get(f"{demo_server}/api/specifications", params={"limit": 100}, timeout=10)
    assert api.status_code == 200
    titles = {record["specification"]["title"]["en"] for record in api.json()}
    # Anonymous visitors see the published ones; drafts only to their institution's staff.
    assert len(titles) == len([entry for entry in demo_entries() if entry.publish])
    page = httpx.get(f"{demo_server}/", timeout=10)
    assert page.status_code == 200
    assert "Sustainable Supply Chains" in page.text
