"""The awards API: one award (201, then 200 with nothing issued), a bulk upload previewed and
then run as a job, and the job's progress with its failed rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from gradebooks import gradebook_csv

from hostile_tables import write_xlsx
from microcred.app import create_app
from microcred.config import Settings
from support.examples import example_specification
from waiting import wait_for

TOKEN = "a-long-random-operator-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'api.db'}", secret_key="k", api_token=TOKEN
    )
    app = create_app(settings, migrate=True)
    catalogue = app.state.catalogue
    catalogue.ensure_institution("uni", {"en": "Uni"}, None)
    app.state.spec_id = catalogue.publish(catalogue.create("uni", example_specification()).id).id
    return TestClient(app)


def test_award_once_then_the_same_award_again_issues_nothing(client: TestClient) -> None:
    spec_id = client.app.state.spec_id  # type: ignore[attr-defined]
    body = {"learner": {"name": "Jana Nowak", "email": "jana@example.org"}}
    first = client.post(f"/api/specifications/{spec_id}/awards", json=body, headers=AUTH)
    assert first.status_code == 201, first.text
    again = client.post(f"/api/specifications/{spec_id}/awards", json=body, headers=AUTH)
    assert again.status_code == 200
    assert again.json()["credential_id"] == first.json()["credential_id"]
    listed = client.get(f"/api/specifications/{spec_id}/awards", headers=AUTH).json()
    assert [a["id"] for a in listed] == [first.json()["id"]]


def test_award_without_email_names_the_field_and_without_token_is_refused(
    client: TestClient,
) -> None:
    spec_id = client.app.state.spec_id  # type: ignore[attr-defined]
    body = {"learner": {"name": "Jana Nowak"}}
    refused = client.post(f"/api/specifications/{spec_id}/awards", json=body, headers=AUTH)
    assert refused.status_code == 422
    assert "email" in {issue["element"] for issue in refused.json()["detail"]}
    assert client.post(f"/api/specifications/{spec_id}/awards", json=body).status_code == 401


def test_bulk_upload_previews_then_runs_a_job_reporting_bad_rows(client: TestClient) -> None:
    spec_id = client.app.state.spec_id  # type: ignore[attr-defined]
    data = gradebook_csv(12, bad={3: ("email", "", "email")})
    url = f"/api/specifications/{spec_id}/awards/bulk"
    files = {"file": ("grades.csv", data, "text/csv")}
    preview = client.post(url, files=files, headers=AUTH)
    assert preview.status_code == 200
    assert preview.json()["preview"]["to_award"] == 11
    assert preview.json()["preview"]["rejected"][0]["row"] == 5
    started = client.post(f"{url}?confirm=true", files=files, headers=AUTH)
    assert started.status_code == 202
    location = started.headers["Location"]
    wait_for(
        lambda: client.get(location, headers=AUTH).json()["state"] in ("done", "failed"),
        60,
        "the job to finish",
        interval=0.2,
    )
    job = client.get(location, headers=AUTH).json()
    assert (job["state"], job["done"], job["failed"], job["remaining"]) == ("done", 11, 1, 0)
    assert job["failures"][0]["row"] == 5 and "e-mail" in job["failures"][0]["reason"]


def test_a_bulk_upload_that_unpacks_past_the_limit_is_refused_with_413(
    client: TestClient, tmp_path: Path
) -> None:
    spec_id = client.app.state.spec_id  # type: ignore[attr-defined]
    bomb = write_xlsx(tmp_path / "grades.xlsx", rows=700_000).read_bytes()
    files = {"file": ("grades.xlsx", bomb, "application/octet-stream")}
    url = f"/api/specifications/{spec_id}/awards/bulk?confirm=true"
    refused = client.post(url, files=files, headers=AUTH)
    assert refused.status_code == 413
    [issue] = refused.json()["detail"]
    assert issue["element"] == "file"
    assert "unpacks to" in issue["message"]
    listed = client.get(f"/api/specifications/{spec_id}/awards", headers=AUTH).json()
    assert listed == []
