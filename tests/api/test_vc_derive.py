"""Selective disclosure over the VC API: issue with ecdsa-sd-2023 and mandatory pointers, derive
with selective pointers (POST /credentials/derive), verify the derived credential; base proofs
are refused by the verifier, and bad input gets 400 or 422, never 500."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_vc_issue import AUTH, KEK, SLUG, institution_did, make_app, unsigned

from microcred.services.issuer_keys import IssuerKeys
from microcred.store.database import Database

BASE = "https://credentials.th-lahntal.example"
SD = {"cryptosuite": "ecdsa-sd-2023", "mandatoryPointers": ["/issuer", "/validFrom"]}


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", KEK)


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    app = make_app(database, BASE)
    app.state.issuer_keys = IssuerKeys(database, app.state.settings)
    app.state.issuer_keys.ensure_key(SLUG, "P-256")
    with TestClient(app) as client:
        yield client


def credential() -> dict[str, Any]:
    document = unsigned(institution_did(BASE))
    document["credentialSubject"]["birthDate"] = "1990-01-01"
    document["@context"].append({"birthDate": "https://schema.org/birthDate"})
    return document


def issued(client: TestClient, options: dict[str, Any] = SD) -> dict[str, Any]:
    response = client.post(
        "/credentials/issue", json={"credential": credential(), "options": options}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()["verifiableCredential"]
    return result


def derived(client: TestClient, document: dict[str, Any], pointers: Any) -> Any:
    return client.post(
        "/credentials/derive",
        json={"verifiableCredential": document, "options": {"selectivePointers": pointers}},
    )


def test_issue_derive_and_verify_reveal_only_what_was_selected(client):
    base = issued(client)
    assert base["proof"]["cryptosuite"] == "ecdsa-sd-2023"
    response = derived(client, base, ["/credentialSubject/name"])
    assert response.status_code == 201, response.text
    revealed = response.json()["verifiableCredential"]
    assert revealed["credentialSubject"] == {"id": "did:example:learner", "name": "Jana Nowak"}
    assert revealed["validFrom"] == base["validFrom"] and "proof" in revealed
    verified = client.post("/credentials/verify", json={"verifiableCredential": revealed})
    assert verified.status_code == 200, verified.text


def test_a_base_proof_is_refused_by_the_verifier(client):
    verified = client.post("/credentials/verify", json={"verifiableCredential": issued(client)})
    assert verified.status_code == 422
    assert "base proof" in verified.text


def test_a_changed_derived_credential_fails_verification(client):
    revealed = derived(client, issued(client), ["/credentialSubject/name"]).json()
    revealed = revealed["verifiableCredential"]
    revealed["credentialSubject"]["name"] = "Someone Else"
    verified = client.post("/credentials/verify", json={"verifiableCredential": revealed})
    assert verified.status_code == 422


@pytest.mark.parametrize(
    ("options", "status", "message"),
    [
        ({**SD, "mandatoryPointers": "/issuer"}, 400, "must be a list of JSON pointers"),
        ({**SD, "mandatoryPointers": ["/nowhere"]}, 422, "does not match the document"),
        ({**SD, "mandatoryPointers": ["issuer"]}, 422, "must start with '/'"),
        ({"cryptosuite": "ecdsa-rdfc-2019", "mandatoryPointers": ["/issuer"]}, 422, "takes no"),
    ],
)
def test_bad_mandatory_pointers_are_refused(client, options, status, message):
    response = client.post(
        "/credentials/issue", json={"credential": credential(), "options": options}, headers=AUTH
    )
    assert response.status_code == status and message in response.text


def test_ecdsa_sd_2023_needs_a_p256_issuer_key(client):
    client.app.state.issuer_keys.rotate(SLUG, "Ed25519")
    response = client.post(
        "/credentials/issue", json={"credential": credential(), "options": SD}, headers=AUTH
    )
    assert response.status_code == 422 and "needs a P-256 key" in response.text


def _broken_proof_value(base: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(base)
    changed["proof"]["proofValue"] = "u2V0AhVhA"  # a base header, then an array cut short
    return changed


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "body"),
        ({"verifiableCredential": "{}"}, 400, "must be a JSON object"),
        ({"verifiableCredential": None}, 400, "must be a JSON object"),
        ({"verifiableCredential": {}, "options": []}, 400, "options"),
        ({"options": {"selectivePointers": ["/name"]}}, 400, "must be a JSON object"),
    ],
)
def test_unreadable_derive_requests_get_400(client, body, status, message):
    response = (
        client.post("/credentials/derive", content=body)
        if isinstance(body, str)
        else client.post("/credentials/derive", json=body)
    )
    assert response.status_code == status and message in response.text


@pytest.mark.parametrize(
    ("change", "pointers", "status", "message"),
    [
        (None, "/credentialSubject/name", 400, "must be a list of JSON pointers"),
        (None, [7], 400, "must be a list of JSON pointers"),
        (None, ["/credentialSubject/nowhere"], 422, "does not match the document"),
        (None, ["/credentialSubject/name/0"], 422, "does not match the document"),
        (lambda base: {**base, "proof": None}, ["/credentialSubject/name"], 422, "exactly one"),
        (_broken_proof_value, ["/credentialSubject/name"], 422, "not valid CBOR"),
        (
            lambda base: {**base, "@context": [*base["@context"], "https://unknown.example/c"]},
            ["/credentialSubject/name"],
            422,
            "cannot be read as JSON-LD",
        ),
    ],
)
def test_credentials_that_cannot_be_derived_as_asked_get_a_clear_error(
    client, change, pointers, status, message
):
    base = issued(client)
    response = derived(client, change(base) if change else base, pointers)
    assert response.status_code == status and message in response.text, response.text
