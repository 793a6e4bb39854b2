"""The documented multi-node set-up, on loopback: nginx in front of two API processes, two
Celery workers on Redis and then on RabbitMQ, PostgreSQL, one KEK. A bulk job goes in through
nginx; half-way one API process and one worker are killed (SIGKILL). Every learner still gets
exactly one credential that verifies, and every request after the kill succeeds."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from brokers import Broker
from cluster import Cluster, answers
from gradebooks import gradebook_csv
from processes import SLUG, Setup

from microcred.services.accounts import Accounts
from microcred.services.api_tokens import ApiTokens
from microcred.store.status_tables import IssuedCredentialRow
from served import free_port
from waiting import wait_for

LEARNERS = 240
REGISTRAR = "registrar@uni.example"


def registrar_token(setup: Setup) -> str:
    """Return an API token (scope 'issue') of a registrar of the test institution."""
    accounts = Accounts(setup.database)
    accounts.create_user(REGISTRAR, actor="test setup")
    accounts.add_role(REGISTRAR, SLUG, "registrar", actor="test setup")
    return ApiTokens(setup.database).create(REGISTRAR, "bulk", ["issue"], actor="test setup").value


def credentials(setup: Setup) -> list[dict[str, object]]:
    with setup.database.transaction(write=False) as session:
        return list(session.scalars(sa.select(IssuedCredentialRow.document)).all())


@pytest.mark.multinode
@pytest.mark.postgres
@pytest.mark.timeout(240)
@pytest.mark.parametrize("fresh_database_url", ["postgresql"], indirect=True)
def test_bulk_job_survives_losing_an_api_process_and_a_worker(
    setup: Setup, broker: Broker, tmp_path: Path
) -> None:
    token = registrar_token(setup)
    env = {
        **setup.env,
        **broker.env(),
        "MICROCRED_JOB_CHUNK_SIZE": "10",
        "MICROCRED_SECRET_KEY": "one-secret-key-for-every-api-process",
        "MICROCRED_RATE_LIMIT_VERIFY": "10000/60",
        "MICROCRED_LOG_FORMAT": "json",
    }
    cluster = Cluster(tmp_path, env)
    api_ports, nginx_port = [free_port(), free_port()], free_port()
    front = f"http://127.0.0.1:{nginx_port}"
    try:
        cluster.start_api("api1", api_ports[0])
        cluster.start_api("api2", api_ports[1])
        cluster.start_worker("worker1")
        cluster.start_worker("worker2")
        cluster.start_nginx(nginx_port, api_ports)
        for name, port in zip(("api1", "api2"), api_ports, strict=True):
            wait_for(
                lambda port=port: answers(f"http://127.0.0.1:{port}/readyz"), 240, f"{name} ready"
            )
        wait_for(lambda: answers(f"{front}/healthz"), 120, "nginx to pass requests on")
        for name in ("worker1", "worker2"):  # both consume before the job starts
            wait_for(lambda name=name: cluster.worker_ready(name), 240, f"{name} ready")

        client = httpx.Client(
            base_url=front, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        upload = client.post(
            f"/api/specifications/{setup.spec_id}/awards/bulk",
            params={"confirm": "true"},
            files={"file": ("grades.csv", gradebook_csv(LEARNERS, bad={}), "text/csv")},
        )
        assert upload.status_code == 202, upload.text
        job_id = upload.json()["job"]["id"]

        wait_for(lambda: setup.awards_count() >= LEARNERS // 3, 120, "a third of the awards")
        cluster.kill("api1")
        cluster.kill("worker1")
        assert setup.awards_count() < LEARNERS, "the job ended before the kill: use more rows"

        statuses: list[int] = []

        def job() -> dict[str, object]:
            cluster.require_running("worker2", "api2")
            response = client.get(f"/api/jobs/{job_id}")
            statuses.append(response.status_code)
            return dict(response.json()) if response.status_code == 200 else {}

        wait_for(lambda: job().get("state") in ("done", "failed"), 150, "the job to finish")
        finished = job()
        again = client.post(
            f"/api/specifications/{setup.spec_id}/awards",
            json={
                "learner": {"name": "Learner 0000", "email": "learner0000@example.org"},
                "grade": "1.0",
                "awarded_on": "2025-03-01",
            },
        )
        statuses.append(again.status_code)
        for document in credentials(setup):
            verified = client.post(
                "/credentials/verify",
                content=json.dumps({"verifiableCredential": document}),
                headers={"content-type": "application/json"},
            )
            statuses.append(verified.status_code)
            assert verified.json()["verdict"] != "failed", verified.text[:2000]
        statuses += [client.get(path).status_code for path in ("/healthz", "/readyz") * 5]
    except AssertionError as failure:
        logs = {name: cluster.log_of(name, tail=3000) for name in cluster.processes}
        raise AssertionError(f"{failure}\n\nprocess logs (tails): {logs}") from None
    finally:
        cluster.stop_all()

    assert (finished["state"], finished["failed"]) == ("done", 0), finished
    assert finished["done"] + finished["unchanged"] == LEARNERS
    assert again.status_code == 200, "the learner had the award already: nothing is issued twice"
    assert set(statuses) == {200}, f"requests after the kill that failed: {statuses}"
    refused = (tmp_path / "error.log").read_text()
    assert f"127.0.0.1:{api_ports[0]}" in refused, "nginx never met the killed API process"
    setup.assert_one_verified_credential_per_learner(LEARNERS)
    assert_json_request_lines_without_personal_data(cluster.log_of("api2", tail=None))


def assert_json_request_lines_without_personal_data(log: str) -> None:
    # A library's progress output (no newline of its own) may share a line with a log line.
    lines = [
        json.loads(line[line.index('{"') :])
        for line in log.splitlines()
        if '"http.request"' in line
    ]
    assert lines, "the surviving API process logged no request"
    assert all(line["request_id"] and line["route"] for line in lines)
    assert "@example.org" not in log and "Learner 0" not in log
