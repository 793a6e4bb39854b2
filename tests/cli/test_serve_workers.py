"""`microcred serve --workers 2` on loopback: two processes share the port and verify our own
credentials; wrk, driven by the bench's Lua script, gets a 200 for every distinct credential
and every check is recorded for analytics. Also wrk's report as the bench reads it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from benchmarks.http_load import (
    Instance,
    Load,
    WrkOutputUnreadable,
    parse_wrk_output,
    prepare_instance,
    run_wrk,
    running_server,
    verification_events,
    write_script,
)

from waiting import scaled, wait_for

CREDENTIALS = 40


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Instance, Path, int]]:
    """Yield the instance, its request bodies, and the pid of `serve --workers 2` on it."""
    instance, bodies = prepare_instance(tmp_path, CREDENTIALS)
    with running_server(instance, 2, tmp_path / "server.log") as server:
        yield instance, bodies, server.pid


def worker_pids(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.timeout(180)
def test_two_worker_processes_verify_our_own_credentials(
    served: tuple[Instance, Path, int], tmp_path: Path
) -> None:
    instance, bodies, pid = served
    workers = worker_pids(pid)
    assert len(workers) >= 2, f"serve --workers 2 started {workers}"
    log_file = tmp_path / "server.log"
    wait_for(  # the first process may answer before the second is up
        lambda: log_file.read_text().count("Application startup complete") >= 2,
        240,
        "both processes to start",
        interval=0.2,
    )
    lines = bodies.read_text(encoding="utf-8").splitlines()
    with httpx.Client(base_url=instance.base_url, timeout=30) as client:
        answers = [
            client.post(
                "/credentials/verify",
                content=line,
                headers={"content-type": "application/json", "connection": "close"},
            )
            for line in lines[:10]
        ]
    assert [answer.status_code for answer in answers] == [200] * 10
    for answer in answers:
        checks = {check["name"]: check["status"] for check in answer.json()["checks"]}
        assert answer.json()["verdict"] == "verified"
        assert checks["status"] == "ok" and checks["issuer_trust"] == "ok"
    log = log_file.read_text(encoding="utf-8")
    assert log.count("Started server process") == 2, log[-2000:]
    assert '"uvicorn.access"' not in log, "uvicorn's access lines name the client's address"
    # Recorded off the request path: each process's writer commits shortly after answering.
    wait_for(lambda: verification_events(instance.database_url) == 10, 60, "10 checks recorded")


@pytest.mark.timeout(180)
def test_wrk_gets_200_for_every_distinct_credential(served: tuple[Instance, Path, int]) -> None:
    instance, bodies, _pid = served
    script = write_script(bodies.parent)
    url = f"{instance.base_url}/credentials/verify"
    run = run_wrk(url, bodies, script, Load(threads=2, connections=4, seconds=round(scaled(3))))
    assert run.requests > 0
    assert run.all_ok, (run.statuses, run.socket_errors)
    assert sum(run.statuses.values()) == run.requests
    assert set(run.latency_ms) == {50, 75, 90, 99}
    assert run.latency_ms[50] <= run.latency_ms[99]
    # Every answered check is recorded (wrk's last requests, cut off at the end, never were),
    # off the request path: shortly after its answer.
    wait_for(
        lambda: verification_events(instance.database_url) >= run.requests,
        60,
        "every answered check recorded",
    )


WRK_REPORT = """\
Running 25s test @ http://127.0.0.1:41234/credentials/verify
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    31.52ms   12.20ms 210.33ms   81.02%
    Req/Sec   256.12     40.10   340.00     70.00%
  Latency Distribution
     50%   29.10ms
     75%   35.87ms
     90%   44.02ms
     99%    1.21s
  12803 requests in 25.02s, 60.12MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:    511.71
Transfer/sec:      2.40MB
statuses: {"200": 12800, "422": 3}
"""


def test_wrk_report_is_read_with_units_and_failures() -> None:
    run = parse_wrk_output(WRK_REPORT)
    assert (run.requests, run.seconds, run.requests_per_second) == (12803, 25.02, 511.71)
    assert run.latency_ms == {50: 29.1, 75: 35.87, 90: 44.02, 99: 1210.0}
    assert run.statuses == {200: 12800, 422: 3}
    assert run.non_2xx == 3
    assert run.socket_errors == {"connect": 0, "read": 1, "write": 0, "timeout": 2}
    assert not run.all_ok


def test_a_clean_wrk_report_is_all_ok() -> None:
    clean = WRK_REPORT.replace("  Non-2xx or 3xx responses: 3\n", "").replace(
        "  Socket errors: connect 0, read 1, write 0, timeout 2\n", ""
    )
    clean = clean.replace('{"200": 12800, "422": 3}', json.dumps({"200": 12803}))
    assert parse_wrk_output(clean).all_ok


def test_a_report_without_the_latency_distribution_is_refused() -> None:
    without = (
        WRK_REPORT.split("  Latency Distribution")[0] + WRK_REPORT.split("     99%    1.21s\n")[1]
    )
    with pytest.raises(WrkOutputUnreadable, match="99% latency"):
        parse_wrk_output(without)
    with pytest.raises(WrkOutputUnreadable, match="statuses"):
        parse_wrk_output(WRK_REPORT.replace("statuses:", "status"))


def test_the_report_says_whether_the_target_is_met_from_the_figures() -> None:
    from benchmarks.http_load import Load, Measurement, WrkRun, render

    def measured(per_second: float, p99: float, cpu_seconds: float) -> Measurement:
        run = WrkRun(1000, 10.0, per_second, {50: 5.0, 90: 9.0, 99: p99}, {200: 1000})
        return Measurement(2, Load(), run, run, 1000, (1.0, 1.0, 1.0), cpu_seconds)

    missed = render([measured(190.0, 250.0, 7.0)], 1000, "make bench")
    assert "**Missed**: the server spends 7.0-7.0 ms of CPU per verification" in missed
    assert "at most ~286/s" in missed
    met = render([measured(650.0, 40.0, 3.0)], 1000, "make bench")
    assert "**Met**" in met
