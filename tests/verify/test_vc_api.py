"""The VC API verifier endpoints: 200 only when verified, 400/422 with the report otherwise."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Match, Route
from verify_support import explained, unsigned_credential

from microcred.app import create_app
from microcred.config import Settings
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.jose import issue_vc_jwt
from microcred.crypto.keys import PrivateKey


@pytest.fixture
def client(tmp_path, issuer_did):
    trusted = tmp_path / "trusted.toml"
    trusted.write_text(f'[[issuers]]\nid = "{issuer_did}"\nname = "TH Lahntal"\n')
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'microcred.db'}",
        secret_key="test-key",
        trusted_issuers_file=str(trusted),
    )
    with TestClient(create_app(settings, migrate=True)) as client:
        yield client


def verify(client, body, path="/credentials/verify"):
    content = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(path, content=content, headers={"content-type": "application/json"})


def test_verified_credential_gets_200_with_the_report(client, credential, no_network):
    response = verify(client, {"verifiableCredential": credential, "options": {}})
    assert response.status_code == 200
    report = response.json()
    assert report["verdict"] == "verified" and report["verified"] is True
    assert {c["name"]: c["status"] for c in report["checks"]}["issuer_trust"] == "ok"


def test_credential_as_vc_jwt_string_gets_200(client, issuer_did, issuer_key):
    method = did_key_verification_method_id(issuer_key.public_key)
    token = issue_vc_jwt(unsigned_credential(issuer_did), issuer_key, kid=method)
    response = verify(client, {"verifiableCredential": token})
    assert response.status_code == 200, response.json()["summary"]


def test_vc_api_posts_are_served_without_fastapi_dependency_solving(client):
    # The FastAPI routes behind stay in the OpenAPI document (see the test of its schema).
    routes = client.app.router.routes
    for path in ("/credentials/verify", "/presentations/verify", "/credentials/issue"):
        scope = {"type": "http", "method": "POST", "path": path, "root_path": ""}
        served_by = next(route for route in routes if route.matches(scope)[0] == Match.FULL)
        assert type(served_by) is Route, path  # a plain Starlette route, not an APIRoute


def test_tampered_credential_gets_422_naming_the_proof_check(client, credential, no_network):
    credential["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    response = verify(client, {"verifiableCredential": credential})
    assert response.status_code == 422
    assert response.json()["failed_check"] == "proof"
    assert response.json()["verified"] is False


def test_unknown_context_gets_422_and_no_download(client, credential, no_network):
    credential["@context"].append("https://evil.example/ctx")
    response = verify(client, {"verifiableCredential": credential})
    assert response.status_code == 422
    assert response.json()["failed_check"] == "contexts"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"verifiableCredential": {"@context": ["https://www.w3', "not valid JSON"),
        ('{"options": {}}', "needs 'verifiableCredential'"),
        ('{"verifiableCredential": 42}', "got int"),
        ('{"verifiableCredential": [1]}', "expected a JSON object"),
        ('{"verifiableCredential": {}, "options": 3}', "options must be a JSON object"),
        ('{"verifiableCredential": ' + "[" * 5000 + "]" * 5000 + "}", "nested deeper"),
        (b"\x00" * (2 * 1024 * 1024), "larger than"),
    ],
    ids=["truncated", "missing", "number", "array", "options", "deep", "oversized"],
)
def test_unreadable_request_gets_400_with_a_parse_failure(client, body, reason, no_network):
    response = verify(client, body)
    assert response.status_code == 400
    report = response.json()
    assert report["failed_check"] == "parse"
    assert reason in explained(report["checks"][0])


def test_presentation_with_the_issued_challenge_gets_200(client, credential, sign_as):
    holder = PrivateKey.from_secret_bytes("Ed25519", b"\x42" * 32)
    presentation = sign_as(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key_for(holder.public_key),
            "verifiableCredential": [credential],
        },
        key=holder,
        proof_purpose="authentication",
        challenge="c-123",
        domain="https://verifier.example",
    )
    body = {
        "verifiablePresentation": presentation,
        "options": {"challenge": "c-123", "domain": "https://verifier.example"},
    }
    response = verify(client, body, "/presentations/verify")
    assert response.status_code == 200, response.json()["summary"]
    assert response.json()["credentials"][0]["verdict"] == "verified"
    body["options"]["challenge"] = "c-456"
    assert verify(client, body, "/presentations/verify").status_code == 422
    del body["options"]["challenge"]
    response = verify(client, body, "/presentations/verify")
    assert response.status_code == 400
    assert "options.challenge is required" in response.json()["summary"]


def test_verify_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/credentials/verify", "/presentations/verify"):
        assert set(paths[path]["post"]["responses"]) >= {"200", "400", "422"}
    body = paths["/credentials/verify"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["verifiableCredential"]


def test_presentation_of_an_untrusted_issuers_credential_gets_200_not_500(client, sign_as):
    stranger = PrivateKey.from_secret_bytes("Ed25519", b"\x07" * 32)
    credential = sign_as(unsigned_credential(did_key_for(stranger.public_key)), key=stranger)
    presentation = sign_as(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did_key_for(stranger.public_key),
            "verifiableCredential": [credential],
        },
        key=stranger,
        proof_purpose="authentication",
        challenge="c-789",
    )
    body = {"verifiablePresentation": presentation, "options": {"challenge": "c-789"}}
    response = verify(client, body, "/presentations/verify")
    assert response.status_code == 200, response.text
    assert response.json()["verdict"] == "verified_untrusted_issuer"
    assert "is not a trusted issuer here" in response.json()["summary"]


@pytest.mark.parametrize("path", ["/credentials/verify", "/presentations/verify"])
def test_json_text_inside_a_string_is_a_parsing_error_not_verified(client, credential, path):
    key = "verifiableCredential" if path == "/credentials/verify" else "verifiablePresentation"
    body = {key: json.dumps(credential), "options": {"challenge": "c-1"}}
    response = verify(client, body, path)
    assert response.status_code == 400
    report = response.json()
    assert report["verified"] is False and report["failed_check"] == "parse"
    assert report["checks"][0]["details"] == {"error": "PARSING_ERROR"}
    assert "PARSING_ERROR" in report["summary"]


def test_vc_jwt_string_with_surrounding_whitespace_is_still_read(client, issuer_did, issuer_key):
    method = did_key_verification_method_id(issuer_key.public_key)
    token = issue_vc_jwt(unsigned_credential(issuer_did), issuer_key, kid=method)
    response = verify(client, {"verifiableCredential": f"\n{token} "})
    assert response.status_code == 200, response.json()["summary"]


def _reasons(response) -> dict[str, str]:
    return {check["name"]: explained(check) for check in response.json()["checks"]}


@pytest.mark.parametrize("host", ["127.0.0.1%3A{port}", "localhost%3A{port}", "169.254.169.254"])
def test_anonymous_verify_does_not_fetch_a_kid_on_a_local_address(
    client, issuer_key, loopback, host
):
    port = loopback["base"].decode().rsplit(":", 1)[1]
    did = "did:web:" + host.format(port=port)
    token = issue_vc_jwt(unsigned_credential(did), issuer_key, kid=f"{did}#key-1")
    response = verify(client, {"verifiableCredential": token})
    assert response.status_code == 424  # the key could not be had: not checked, not forged
    assert "address not allowed" in _reasons(response)["proof"]


def test_anonymous_verify_does_not_fetch_a_status_list_on_the_metadata_address(
    client, issuer_did, sign_as
):
    list_url = "https://169.254.169.254/latest/status/1"
    document = unsigned_credential(issuer_did)
    document["credentialStatus"] = {
        "id": f"{list_url}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": list_url,
    }
    response = verify(client, {"verifiableCredential": sign_as(document)})
    assert response.status_code == 424  # the status could not be established
    assert "address not allowed" in _reasons(response)["status"]
