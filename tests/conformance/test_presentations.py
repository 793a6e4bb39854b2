"""`POST /presentations/verify` over HTTPS, as the VC API verifier suite sends presentations:
a holder's Data Integrity proof bound to a challenge (and a domain), carrying credentials.
Written from the VC API (§ verifying presentations) and VC Data Model 2.0 (§4.13).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from vc_api import V2, ConformanceServer, check_statuses, example_credential, issued

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import encode_public_key

CHALLENGE = "3f0b6a52-0c43-4c8b-9f3e-5c1d2e8a9b71"
DOMAIN = "https://verifier.example"
HOLDER = PrivateKey.generate("Ed25519")


def _method(key: PrivateKey) -> str:
    return f"{did_key_for(key.public_key)}#{encode_public_key(key.public_key)}"


def presented(*credentials: Any, challenge: str = CHALLENGE) -> dict[str, Any]:
    """Return a presentation of `credentials` signed by the holder for CHALLENGE and DOMAIN."""
    unsigned = {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": did_key_for(HOLDER.public_key),
        "verifiableCredential": list(credentials),
    }
    return sign(
        unsigned,
        HOLDER,
        suite="eddsa-rdfc-2022",
        verification_method=_method(HOLDER),
        proof_purpose="authentication",
        challenge=challenge,
        domain=DOMAIN,
    )


def verify_presentation(
    server: ConformanceServer, presentation: Any, **options: Any
) -> httpx.Response:
    body = {"verifiablePresentation": presentation, "options": options}
    with server.client(token=False) as client:
        return client.post("/presentations/verify", json=body)


@pytest.fixture(scope="module")
def ours(conformance_server: ConformanceServer) -> dict[str, Any]:
    with conformance_server.client() as client:
        return issued(client, example_credential(conformance_server.issuers["Ed25519"]))


def foreign_credential() -> dict[str, Any]:
    """A credential of an issuer this instance does not know, signed correctly."""
    key = PrivateKey.generate("P-256")
    credential = {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": did_key_for(key.public_key),
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    return sign(credential, key, suite="ecdsa-rdfc-2019", verification_method=_method(key))


def test_presentation_of_our_credential_verifies(
    conformance_server: ConformanceServer, ours: dict[str, Any]
):
    response = verify_presentation(
        conformance_server, presented(ours), challenge=CHALLENGE, domain=DOMAIN
    )
    report = response.json()
    assert response.status_code == 200, report["summary"]
    assert report["verified"] is True
    assert check_statuses(response)["proof"] == "ok"
    [carried] = report["credentials"]
    assert carried["verdict"] == "verified"


def test_presentation_of_an_untrusted_issuers_credential_is_answered_not_500(
    conformance_server: ConformanceServer,
):
    response = verify_presentation(
        conformance_server, presented(foreign_credential()), challenge=CHALLENGE, domain=DOMAIN
    )
    report = response.json()
    assert response.status_code == 200, report["summary"]
    assert report["trust"] == "untrusted"
    assert report["credentials"][0]["verdict"] == "verified_untrusted_issuer"


def test_presentation_for_another_challenge_fails_the_proof_check(
    conformance_server: ConformanceServer, ours: dict[str, Any]
):
    presentation = presented(ours, challenge="an-old-challenge")
    response = verify_presentation(
        conformance_server, presentation, challenge=CHALLENGE, domain=DOMAIN
    )
    assert response.status_code == 422
    assert response.json()["failed_check"] == "proof"


def test_presentation_of_a_changed_credential_fails(
    conformance_server: ConformanceServer, ours: dict[str, Any]
):
    changed = copy.deepcopy(ours)
    changed["credentialSubject"]["alumniOf"] = "Another School"
    response = verify_presentation(
        conformance_server, presented(changed), challenge=CHALLENGE, domain=DOMAIN
    )
    report = response.json()
    assert response.status_code == 422
    assert report["verified"] is False
    assert report["credentials"][0]["failed_check"] == "proof"


def test_unsigned_presentation_fails_the_proof_check(
    conformance_server: ConformanceServer, ours: dict[str, Any]
):
    unsigned = {k: v for k, v in presented(ours).items() if k != "proof"}
    response = verify_presentation(conformance_server, unsigned, challenge=CHALLENGE)
    assert response.status_code == 422
    assert response.json()["failed_check"] == "proof"


@pytest.mark.parametrize(
    ("options", "message"),
    [({}, "challenge is required"), ({"challenge": CHALLENGE, "domain": 5}, "domain")],
    ids=["no-challenge", "domain-not-a-string"],
)
def test_presentation_request_without_usable_options_is_400(
    conformance_server: ConformanceServer, ours: dict[str, Any], options: Any, message: str
):
    response = verify_presentation(conformance_server, presented(ours), **options)
    assert response.status_code == 400
    assert message in response.json()["summary"]


def test_presentation_as_json_text_in_a_string_is_a_parsing_error(
    conformance_server: ConformanceServer, ours: dict[str, Any]
):
    text = json.dumps(presented(ours))
    response = verify_presentation(conformance_server, text, challenge=CHALLENGE)
    assert response.status_code == 400
    assert "PARSING_ERROR" in response.json()["summary"]
