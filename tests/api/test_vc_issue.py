"""Issuing over HTTP (VC API and from a specification) and the DID documents that verify it."""

from __future__ import annotations

import base64
import copy
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.crypto import data_integrity
from microcred.crypto.did_web import forget_cached_did_documents
from microcred.crypto.key_resolution import key_resolver
from microcred.store.database import Database
from support.examples import example_specification
from verify.vc2_cases import CASES, RuleCase, applied

TOKEN = "test-token-4f1c9e0b7a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
KEK = base64.b64encode(bytes(range(32))).decode()
SLUG = "th-lahntal"
AWARD = {
    "learner_name": "Jana Nowak",
    "email": "jana.nowak@example.org",
    "grade": "1.7",
    "issued_on": "2025-03-01T09:30:00Z",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_app(database: Database, base_url: str, api_token: str = TOKEN) -> FastAPI:
    settings = Settings(
        database_url=str(database.url),
        base_url=base_url,
        secret_key="test-key",
        api_token=api_token,
    )
    app = create_app(settings, database)
    app.state.catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"})
    return app


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", KEK)


@pytest.fixture
def served(database: Database) -> Iterator[tuple[FastAPI, str]]:
    """The app served by uvicorn on a loopback port, its base URL that port."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    app = make_app(database, base_url)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    forget_cached_did_documents()
    yield app, base_url
    server.should_exit = True
    thread.join(timeout=10)
    forget_cached_did_documents()


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with TestClient(make_app(database, "https://credentials.th-lahntal.example")) as client:
        yield client


def institution_did(base: str) -> str:
    host = base.split("://", 1)[1].replace(":", "%3A")
    return f"did:web:{host}:institutions:{SLUG}"


def unsigned(issuer: str | None, **changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:5e9b0f1c-7d0a-4f0e-8a53-1b2f3c4d5e6f",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    credential.update(changes)
    return {key: value for key, value in credential.items() if value is not None}


def verified_over_did_web(credential: dict[str, Any]) -> list[bool]:
    resolve = key_resolver()
    return [result.ok for result in data_integrity.verify(credential, resolve_key=resolve)]


def test_credential_signed_before_rotation_verifies_through_the_served_did_document(
    served, private_fetches
):
    app, base = served
    with TestClient(app) as client:
        body = {"credential": unsigned(institution_did(base))}
        old = client.post("/credentials/issue", json=body, headers=AUTH)
        assert old.status_code == 201, old.text
        app.state.issuer_keys.rotate(SLUG)
        new = client.post("/credentials/issue", json=body, headers=AUTH)
    old_vc, new_vc = old.json()["verifiableCredential"], new.json()["verifiableCredential"]
    assert old_vc["proof"]["verificationMethod"] != new_vc["proof"]["verificationMethod"]
    assert verified_over_did_web(old_vc) == [True]
    assert verified_over_did_web(new_vc) == [True]
    forged = copy.deepcopy(old_vc)
    forged["credentialSubject"]["name"] = "Someone Else"
    assert verified_over_did_web(forged) == [False]


def test_credential_from_a_published_specification_verifies_over_did_web(served, private_fetches):
    app, base = served
    catalogue = app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    with TestClient(app) as client:
        response = client.post(
            f"/api/specifications/{spec_id}/credentials", json=AWARD, headers=AUTH
        )
    assert response.status_code == 201, response.text
    credential = response.json()["verifiableCredential"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == institution_did(base)
    assert verified_over_did_web(credential) == [True]


def test_did_documents_are_served_as_did_json_with_caching(client):
    assert client.get(f"/institutions/{SLUG}/did.json").status_code == 404
    client.app.state.issuer_keys.ensure_key(SLUG)
    client.app.state.issuer_keys.ensure_key(None)
    for path, did in [
        (
            f"/institutions/{SLUG}/did.json",
            institution_did("https://credentials.th-lahntal.example"),
        ),
        ("/.well-known/did.json", "did:web:credentials.th-lahntal.example"),
    ]:
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/did+json")
        assert "max-age" in response.headers["cache-control"]
        assert response.json()["id"] == did
        assert len(response.json()["assertionMethod"]) == 1


def test_unknown_institution_has_no_did_document(client):
    response = client.get("/institutions/nowhere/did.json")
    assert response.status_code == 404
    assert "nowhere" in response.json()["detail"]


def test_issue_without_a_token_is_401_and_signs_nothing(client):
    body = {"credential": unsigned(institution_did("https://credentials.th-lahntal.example"))}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = client.post("/credentials/issue", json=body, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    assert client.get(f"/institutions/{SLUG}/did.json").status_code == 404  # no key was made


def test_without_an_operator_token_configured_only_user_tokens_are_accepted(database):
    with TestClient(make_app(database, "https://x.example", api_token="")) as client:
        response = client.post("/credentials/issue", json={"credential": {}}, headers=AUTH)
    assert response.status_code == 401
    assert "Authorization: Bearer <API token>" in response.json()["detail"]


def test_issue_with_a_token_returns_201_and_leaves_the_input_unsigned(client):
    credential = unsigned(institution_did("https://credentials.th-lahntal.example"))
    response = client.post("/credentials/issue", json={"credential": credential}, headers=AUTH)
    assert response.status_code == 201
    signed = response.json()["verifiableCredential"]
    assert {k: v for k, v in signed.items() if k != "proof"} == credential
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_instance_itself_can_issue_under_its_own_did(client):
    credential = unsigned("did:web:credentials.th-lahntal.example")
    body = {"credential": credential, "options": {"cryptosuite": "eddsa-jcs-2022"}}
    response = client.post("/credentials/issue", json=body, headers=AUTH)
    assert response.status_code == 201
    assert response.json()["verifiableCredential"]["proof"]["cryptosuite"] == "eddsa-jcs-2022"


OURS = institution_did("https://credentials.th-lahntal.example")


@pytest.mark.parametrize(
    ("body", "element", "message"),
    [
        (
            {"credential": unsigned("did:web:elsewhere.example")},
            "credential.issuer",
            "not an issuer of this instance",
        ),
        (
            {
                "credential": unsigned(
                    OURS,
                    **{
                        "@context": [
                            "https://www.w3.org/ns/credentials/v2",
                            "https://example.org/v1",
                        ]
                    },
                )
            },
            "credential.@context",
            "https://example.org/v1",
        ),
        ({"credential": unsigned(OURS, nickname="Jay")}, "credential.nickname", "'nickname'"),
        (
            {"credential": unsigned(OURS), "options": {"cryptosuite": "rsa-2048"}},
            "suite",
            "must be one of",
        ),
        ({"credential": unsigned(OURS), "options": {"challenge": "x"}}, "options", "challenge"),
    ],
)
def test_bad_credential_is_422_naming_what_to_fix(client, body, element, message):
    response = client.post("/credentials/issue", json=body, headers=AUTH)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["element"] == element
    assert message in problem["message"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "JSON"),
        (b'{"options": {}}', "'credential'"),
        (b'{"credential": "text"}', "'credential'"),
    ],
)
def test_unreadable_body_is_400(client, content, message):
    headers = {**AUTH, "Content-Type": "application/json"}
    response = client.post("/credentials/issue", content=content, headers=headers)
    assert response.status_code == 400
    assert message in response.json()["detail"][0]["message"]


def test_issuing_a_draft_is_422_and_an_unknown_specification_404(client):
    draft = client.app.state.catalogue.create(SLUG, example_specification())
    response = client.post(
        f"/api/specifications/{draft.id}/credentials",
        params={"version": 1},
        json=AWARD,
        headers=AUTH,
    )
    assert response.status_code == 422
    assert "is a draft; publish it first" in response.json()["detail"][0]["message"]
    missing = "0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90"
    response = client.post(f"/api/specifications/{missing}/credentials", json=AWARD, headers=AUTH)
    assert response.status_code == 404


def test_award_without_issue_date_is_422_naming_the_field(client):
    catalogue = client.app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    award = {key: value for key, value in AWARD.items() if key != "issued_on"}
    response = client.post(f"/api/specifications/{spec_id}/credentials", json=award, headers=AUTH)
    assert response.status_code == 422
    assert any("issued_on" in problem["element"] for problem in response.json()["detail"])


def test_vc_jwt_from_a_specification(client):
    catalogue = client.app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    response = client.post(
        f"/api/specifications/{spec_id}/credentials",
        params={"format": "vc+jwt"},
        json=AWARD,
        headers=AUTH,
    )
    assert response.status_code == 201
    assert response.json()["verifiableCredential"].count(".") == 2


def test_our_own_credential_verifies_as_trusted_without_reaching_the_network(client):
    catalogue = client.app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    issued = client.post(f"/api/specifications/{spec_id}/credentials", json=AWARD, headers=AUTH)
    credential = issued.json()["verifiableCredential"]
    # The base URL's host (credentials.th-lahntal.example) does not exist: our own DIDs must be
    # resolved from the database, and our own institutions must be trusted issuers.
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verdict"] == "verified"
    trust = next(check for check in report["checks"] if check["name"] == "issuer_trust")
    assert trust["status"] == "ok"
    assert "TH Lahntal" in trust["reason"]


def test_someone_elses_signature_on_our_issuer_id_is_refused(client):
    catalogue = client.app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    issued = client.post(f"/api/specifications/{spec_id}/credentials", json=AWARD, headers=AUTH)
    forged = copy.deepcopy(issued.json()["verifiableCredential"])
    forged["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    response = client.post("/credentials/verify", json={"verifiableCredential": forged})
    assert response.status_code == 422
    assert response.json()["verdict"] == "failed"


RULES = pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])


@RULES
def test_credential_keeping_a_data_model_rule_is_signed(client, case: RuleCase):
    response = client.post(
        "/credentials/issue", json={"credential": applied(case.keeps, OURS)}, headers=AUTH
    )
    assert response.status_code == 201, response.text


@RULES
def test_credential_breaking_a_data_model_rule_is_400_naming_the_member(client, case: RuleCase):
    response = client.post(
        "/credentials/issue", json={"credential": applied(case.breaks, OURS)}, headers=AUTH
    )
    assert response.status_code == 400, response.text
    [problem] = response.json()["detail"]
    assert problem["element"] == f"credential.{case.member}".replace(".[", "[")
    assert case.message in problem["message"]


def test_every_broken_rule_is_named_at_once_and_nothing_is_signed(client):
    credential = unsigned(None, validFrom="1 March", credentialSubject={})
    response = client.post("/credentials/issue", json={"credential": credential}, headers=AUTH)
    assert response.status_code == 400
    elements = [problem["element"] for problem in response.json()["detail"]]
    assert elements == ["credential.issuer", "credential.credentialSubject", "credential.validFrom"]
    assert client.get(f"/institutions/{SLUG}/did.json").status_code == 404  # no key was made
