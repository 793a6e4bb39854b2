"""``microcred demo`` end to end: the console script seeds, serves, and the catalogue answers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from microcred.services.demo import demo_entries
from served import free_port
from waiting import stop, wait_for

MICROCRED = Path(sys.executable).parent / "microcred"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    """Run ``microcred demo`` on a free loopback port; yield its base URL once it answers."""
    port = free_port()
    command = [str(MICROCRED), "--db", f"sqlite:///{tmp_path / 'demo.db'}", "demo"]
    log = tmp_path / "demo.log"
    with log.open("wb") as output:  # a file, not a pipe nobody reads that could fill up
        server = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def answering() -> bool:
        if server.poll() is not None:
            pytest.fail(f"microcred demo stopped early:\n{log.read_text(errors='replace')}")
        try:
            httpx.get(f"{base}/api/institutions", timeout=1)
        except httpx.TransportError:
            return False
        return True

    try:
        wait_for(answering, 240, "microcred demo to answer", interval=0.2)
        yield base
    finally:
        stop(server, grace=10)


def test_demo_serves_the_seeded_catalogue(demo_server: str) -> None:
    api = httpx.get(f"{demo_server}/api/specifications", params={"limit": 100}, timeout=10)
    assert api.status_code == 200
    titles = {record["specification"]["title"]["en"] for record in api.json()}
    # Anonymous visitors see the published ones; drafts only to their institution's staff.
    assert len(titles) == len([entry for entry in demo_entries() if entry.publish])
    page = httpx.get(f"{demo_server}/", timeout=10)
    assert page.status_code == 200
    assert "Sustainable Supply Chains" in page.text
