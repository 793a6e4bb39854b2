"""`/credentials/issue` with `options.credentialStatus`, changed by `/credentials/status` and read
back by `/credentials/verify`: all over HTTP, on the app's own published lists."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.services.audit import events_for
from microcred.store.database import Database

TOKEN = "issue-status-token-51ac"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLUG = "th-lahntal"
BASE = "https://credentials.th-lahntal.example"
ISSUER = "did:web:credentials.th-lahntal.example:institutions:th-lahntal"


@pytest.fixture
def client(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    settings = Settings(
        database_url=str(database.url), base_url=BASE, secret_key="test-key", api_token=TOKEN
    )
    app = create_app(settings, database)
    app.state.catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"})
    with TestClient(app) as client:
        yield client


def unsigned(**changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    credential.update(changes)
    return credential


def issue(client: TestClient, credential: dict[str, Any], status_option: Any) -> Any:
    body = {"credential": credential, "options": {"credentialStatus": status_option}}
    return client.post("/credentials/issue", json=body, headers=AUTH)


def issued(client: TestClient, *purposes: str) -> dict[str, Any]:
    option = [{"type": "BitstringStatusList", "statusPurpose": purpose} for purpose in purposes]
    response = issue(client, unsigned(), option)
    assert response.status_code == 201, response.text
    credential: dict[str, Any] = response.json()["verifiableCredential"]
    return credential


def verdict(client: TestClient, credential: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    report = response.json()
    status = next(check for check in report["checks"] if check["name"] == "status")
    return report["verdict"], status


def set_status(client: TestClient, credential_id: str, purpose: str, value: bool) -> Any:
    body = {
        "credentialId": credential_id,
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": purpose},
        "status": value,
    }
    return client.post("/credentials/status", json=body, headers=AUTH)


def test_issued_entry_points_at_a_served_list_that_verifies(client) -> None:
    credential = issued(client, "revocation")
    [entry] = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"].startswith(f"{BASE}/status/{SLUG}/revocation/")
    listed = client.get(entry["statusListCredential"].removeprefix(BASE))
    assert listed.status_code == 200
    status_list = listed.json()
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    assert verdict(client, status_list)[0] == "verified"
    assert verdict(client, credential) == ("verified", verdict(client, credential)[1])
    assert verdict(client, credential)[1]["status"] == "ok"


def test_revoked_over_http_and_the_verifier_says_so(client, database) -> None:
    credential = issued(client, "revocation")
    assert verdict(client, credential)[1]["status"] == "ok"
    response = set_status(client, credential["id"], "revocation", True)
    assert response.status_code == 200, response.text
    assert response.json() == {"credentialId": credential["id"], "status": "revoked"}
    result, status = verdict(client, credential)
    assert result == "failed"
    assert status["status"] == "failed"
    assert "revoked" in status["reason"]
    [event] = events_for(database, credential["id"])
    assert event.action == "credential.revoke"
    assert set_status(client, credential["id"], "revocation", False).status_code == 409


def test_suspension_set_and_cleared(client) -> None:
    credential = issued(client, "suspension")
    assert set_status(client, credential["id"], "suspension", True).json()["status"] == "suspended"
    result, status = verdict(client, credential)
    assert (result, status["status"]) == ("failed", "failed")
    assert "suspended" in status["reason"]
    assert set_status(client, credential["id"], "suspension", False).json()["status"] == "valid"
    assert verdict(client, credential)[1]["status"] == "ok"


def test_both_purposes_and_the_older_update_shape(client) -> None:
    credential = issued(client, "revocation", "suspension")
    assert [e["statusPurpose"] for e in credential["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    body = {
        "credentialId": credential["id"],
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "suspended"}],
    }
    assert client.post("/credentials/status", json=body, headers=AUTH).status_code == 200
    assert "suspended" in verdict(client, credential)[1]["reason"]


def test_a_purpose_the_credential_has_no_entry_for_is_409(client) -> None:
    credential = issued(client, "revocation")
    response = set_status(client, credential["id"], "suspension", True)
    assert response.status_code == 409
    assert "no suspension entry" in response.json()["detail"][0]


def test_message_purpose_is_refused_with_400_naming_why(client) -> None:
    response = issue(
        client, unsigned(), {"type": "BitstringStatusList", "statusPurpose": "message"}
    )
    assert response.status_code == 400
    assert "'message' is not supported" in response.text
    credential = issued(client, "revocation")
    refused = set_status(client, credential["id"], "message", True)
    assert refused.status_code == 400
    assert "must be revocation or suspension" in refused.text


def test_unknown_credential_is_404(client) -> None:
    issued(client, "revocation")
    assert set_status(client, "urn:uuid:never-issued-here", "revocation", True).status_code == 404


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        ("revocation", "must be a JSON object"),
        ({"type": "StatusList2021Entry", "statusPurpose": "revocation"}, "type must be one of"),
        ({"type": "BitstringStatusList", "statusPurpose": "erase"}, "not 'erase'"),
        ({"type": "BitstringStatusList"}, "not None"),
        ({"type": "BitstringStatusList", "statusPurpose": "revocation", "x": 1}, "unknown member"),
        ([], "at least one"),
    ],
)
def test_bad_status_option_is_400_and_stores_nothing(client, database, option, problem) -> None:
    credential = unsigned()
    response = issue(client, credential, option)
    assert response.status_code == 400
    assert problem in response.text
    assert set_status(client, credential["id"], "revocation", True).status_code == 404


@pytest.mark.parametrize(
    ("credential", "where"),
    [
        (unsigned(id=None), "credential.id"),
        (unsigned(credentialStatus={"type": "BitstringStatusListEntry"}), "credentialStatus"),
    ],
)
def test_credential_unfit_for_a_status_entry_is_422(client, credential, where) -> None:
    credential = {key: value for key, value in credential.items() if value is not None}
    response = issue(
        client, credential, {"type": "BitstringStatusList", "statusPurpose": "revocation"}
    )
    assert response.status_code == 422
    assert where in response.text


def test_the_same_id_twice_is_refused(client) -> None:
    credential = unsigned()
    option = {"type": "BitstringStatusList", "statusPurpose": "revocation"}
    assert issue(client, credential, option).status_code == 201
    again = issue(client, credential, option)
    assert again.status_code == 422
    assert "issued here already" in again.text


@pytest.mark.parametrize(
    "body",
    [
        {"credentialId": "x", "credentialStatus": {"type": "BitstringStatusList"}, "status": True},
        {"credentialId": "x", "credentialStatus": {"statusPurpose": "revocation"}},
        {"credentialId": "x", "credentialStatus": {"statusPurpose": "revocation"}, "status": "yes"},
        {"credentialId": "x", "credentialStatus": [{"status": "revoked"}], "status": True},
        {"credentialId": "x", "credentialStatus": []},
        {"credentialStatus": {"statusPurpose": "revocation"}, "status": True},
    ],
)
def test_bad_update_shapes_are_400(client, body) -> None:
    response = client.post("/credentials/status", json=body, headers=AUTH)
    assert response.status_code == 400, response.text
