"""/healthz, /readyz and /metrics of the app, read the way a load balancer and Prometheus do."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app_fixtures import INSTITUTION
from microcred.app import create_app
from microcred.config import Settings
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify.report import Verdict
from support.examples import example_specification

LEARNER = {"name": "Jana Nowak", "email": "jana.nowak@example.org"}


pytestmark = pytest.mark.usefixtures("kek")


RESULTS = tuple(str(verdict) for verdict in Verdict)


def metric(client: TestClient, name: str, **labels: str) -> float:
    """Return the value of one sample of /metrics (0 when it has not been counted yet)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def test_healthz_says_the_process_is_up(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_is_ready_with_database_schema_broker_and_keys_checked(
    client: TestClient,
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = {"database": "ok", "migrations": "ok", "broker": "ok", "keys": "ok", "verifier": "ok"}
    assert response.json() == {"status": "ready", "checks": checks}


def test_readyz_is_503_naming_the_broker_that_does_not_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'microcred.db'}"
    settings = Settings(database_url=url, broker_url="redis://127.0.0.1:1/0", secret_key="k")
    with TestClient(create_app(settings, migrate=True)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "not ready"
    assert response.json()["checks"]["broker"] == "failed"
    assert "127.0.0.1:1" not in response.text, "details go to the log, not to the public"


def test_readyz_is_503_when_the_schema_falls_behind_the_code(
    app: FastAPI, client: TestClient
) -> None:
    with app.state.database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001_catalogue'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed"


def test_metrics_count_a_credential_issued_verified_and_revoked(
    app: FastAPI, client: TestClient
) -> None:
    catalogue = app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(INSTITUTION, example_specification()).id).id
    issued = metric(client, "microcred_credentials_issued_total", format="ob3-di")
    signed = metric(client, "microcred_signing_seconds_count", suite="eddsa-rdfc-2022")
    verified = {
        v: metric(client, "microcred_credentials_verified_total", result=v) for v in RESULTS
    }
    revoked = metric(client, "microcred_credentials_revoked_total")

    award = client.post(f"/api/specifications/{spec_id}/awards", json={"learner": LEARNER})
    assert award.status_code == 201, award.text
    assert metric(client, "microcred_credentials_issued_total", format="ob3-di") == issued + 1
    assert metric(client, "microcred_signing_seconds_count", suite="eddsa-rdfc-2022") > signed

    credential_id = award.json()["credential_id"]
    with app.state.database.transaction(write=False) as session:
        signed_credential = session.get_one(IssuedCredentialRow, credential_id).document
    check = client.post("/credentials/verify", json={"verifiableCredential": signed_credential})
    assert check.status_code == 200, check.text
    verdict = check.json()["verdict"]
    # Other tests in this process may have counted other results: compare this result's own line.
    after = metric(client, "microcred_credentials_verified_total", result=verdict)
    assert after == verified[verdict] + 1

    revoke = client.post(
        "/credentials/status",
        json={
            "credentialId": credential_id,
            "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}],
            "reason": "issued in error",
            "actor": "registrar",
        },
    )
    assert revoke.status_code == 200, revoke.text
    assert metric(client, "microcred_credentials_revoked_total") == revoked + 1


def test_request_metrics_name_the_route_template_not_the_path(client: TestClient) -> None:
    route = "/api/specifications/{spec_id}"
    before = metric(
        client, "microcred_http_requests_total", method="GET", route=route, status="404"
    )
    assert client.get("/api/specifications/00000000-0000-4000-8000-000000000000").status_code == 404
    after = metric(client, "microcred_http_requests_total", method="GET", route=route, status="404")
    assert after == before + 1
    assert "00000000-0000-4000-8000-000000000000" not in client.get("/metrics").text


def test_metrics_show_the_job_queue_read_from_the_database(client: TestClient) -> None:
    assert metric(client, "microcred_job_queue_depth") == 0
    assert metric(client, "microcred_jobs_unfinished", state="queued") == 0
    assert "microcred_job_queue_depth" in client.get("/metrics").text


def test_every_response_carries_a_request_id_and_keeps_a_sane_one_given(
    client: TestClient,
) -> None:
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    given = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"})
    assert given.headers["x-request-id"] == "lb-7f3a.1"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"
