"""The status HTTP API: published lists with caching headers, and VC API status updates."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.crypto.did_document import key_in_document
from microcred.services.audit import events_for
from microcred.status.check import check_credential_status
from microcred.status.fetching import StatusListUnavailable
from microcred.store.database import Database
from support.examples import example_specification

TOKEN = "status-test-token-8d2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLUG = "th-lahntal"


@pytest.fixture
def client(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    settings = Settings(
        database_url=str(database.url),
        base_url="https://credentials.th-lahntal.example",
        secret_key="test-key",
        api_token=TOKEN,
    )
    app = create_app(settings, database)
    app.state.catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"})
    with TestClient(app) as client:
        yield client


@pytest.fixture
def credential(client: TestClient) -> dict[str, Any]:
    catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    award = {
        "learner_name": "Jana Nowak",
        "email": "jana.nowak@example.org",
        "issued_on": "2025-03-01T09:30:00Z",
    }
    response = client.post(f"/api/specifications/{spec_id}/credentials", json=award, headers=AUTH)
    assert response.status_code == 201, response.text
    issued: dict[str, Any] = response.json()["verifiableCredential"]
    return issued


def list_path(credential: dict[str, Any], purpose: str) -> str:
    entry = next(e for e in credential["credentialStatus"] if e["statusPurpose"] == purpose)
    return entry["statusListCredential"].removeprefix("https://credentials.th-lahntal.example")


def change(client: TestClient, credential_id: str, status: str, **extra: Any) -> Any:
    body = {
        "credentialId": credential_id,
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": status}],
        "reason": "exam misconduct",
        "actor": "registrar@th-lahntal.example",
        **extra,
    }
    return client.post("/credentials/status", json=body, headers=AUTH)


def test_status_list_is_served_signed_with_etag_and_max_age(client, credential) -> None:
    response = client.get(list_path(credential, "revocation"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vc+ld+json")
    assert response.headers["cache-control"] == "public, max-age=300"
    document = response.json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    again = client.get(
        list_path(credential, "revocation"), headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304


def test_unknown_list_is_404(client, credential) -> None:
    assert client.get("/status/th-lahntal/revocation/99").status_code == 404
    assert client.get("/status/th-lahntal/refresh/1").status_code == 404


def test_vc_api_revocation_shows_in_the_served_list(client, credential) -> None:
    before = client.get(list_path(credential, "revocation"))
    response = change(client, credential["id"], "revoked")
    assert response.status_code == 200
    assert response.json() == {"credentialId": credential["id"], "status": "revoked"}
    after = client.get(list_path(credential, "revocation"))
    assert after.headers["etag"] != before.headers["etag"]
    keys = client.app.state.issuer_keys  # type: ignore[attr-defined]
    served = {
        "revocation": after.json(),
        "suspension": client.get(list_path(credential, "suspension")).json(),
    }

    def fetch(url: str) -> dict[str, Any]:
        for document in served.values():
            if document["id"] == url:
                return document
        raise StatusListUnavailable(url)

    result = check_credential_status(
        credential,
        fetch=fetch,
        resolve_key=lambda m: key_in_document(keys.did_document(SLUG), m, "assertionMethod"),
    )
    assert result.state == "revoked"


def test_vc_api_suspend_then_reinstate(client, credential) -> None:
    assert change(client, credential["id"], "suspended").json()["status"] == "suspended"
    assert change(client, credential["id"], "active").json()["status"] == "valid"


def test_vc_api_refuses_to_undo_a_revocation_with_409(client, credential) -> None:
    change(client, credential["id"], "revoked")
    response = change(client, credential["id"], "active")
    assert response.status_code == 409
    assert "cannot be undone" in response.json()["detail"][0]


@pytest.mark.parametrize(
    ("status", "extra", "problem"),
    [
        ("deleted", {}, "must be one of revoked, suspended, active"),
        ("revoked", {"reason": ""}, "reason"),
        ("revoked", {"actor": ""}, "actor"),
    ],
)
def test_vc_api_bad_input_is_400_and_changes_nothing(
    client, credential, database, status, extra, problem
) -> None:
    response = change(client, credential["id"], status, **extra)
    assert response.status_code == 400
    assert problem in " ".join(response.json()["detail"])
    assert events_for(database, credential["id"]) == []


def test_vc_api_unknown_credential_is_404(client, credential) -> None:
    assert change(client, "urn:uuid:not-issued-here", "revoked").status_code == 404


def test_vc_api_status_change_needs_the_token(client, credential, database) -> None:
    body = {
        "credentialId": credential["id"],
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "revoked"}],
        "reason": "x",
        "actor": "y",
    }
    assert client.post("/credentials/status", json=body).status_code == 401
    assert events_for(database, credential["id"]) == []
