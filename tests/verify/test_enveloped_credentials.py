"""An EnvelopedVerifiableCredential (VC 2.0 §4.13.2): a vc+jwt carried in the `data:` URL id of
a small JSON-LD object, as presentations and the VC Data Model suite send them."""

from __future__ import annotations

from typing import Any

import pytest
from verify_support import explained

from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.jose import issue_vc_jwt
from microcred.crypto.keys import PrivateKey
from microcred.verify import CheckStatus, verify_credential

V2 = "https://www.w3.org/ns/credentials/v2"
KEY = PrivateKey.from_secret_bytes("Ed25519", b"\x07" * 32)


def vc_jwt(**changes: Any) -> str:
    credential = {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": did_key_for(KEY.public_key),
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
        **changes,
    }
    return issue_vc_jwt(credential, KEY, kid=did_key_verification_method_id(KEY.public_key))


def enveloped(identifier: str) -> dict[str, Any]:
    return {"@context": [V2], "id": identifier, "type": "EnvelopedVerifiableCredential"}


def test_enveloped_vc_jwt_is_read_and_its_proof_verified(no_network):
    report = verify_credential(enveloped(f"data:application/vc+jwt,{vc_jwt()}"))
    assert report.check("parse").details["format"] == "vc+jwt"
    assert report.check("proof").status == CheckStatus.ok
    assert report.check("data_model").status == CheckStatus.ok


def test_enveloped_vc_jwt_of_a_changed_credential_fails_the_proof(no_network):
    header, payload, signature = vc_jwt().split(".")
    _, other_payload, _ = vc_jwt(credentialSubject={"name": "Someone else"}).split(".")
    forged = f"{header}.{other_payload}.{signature}"
    report = verify_credential(enveloped(f"data:application/vc+jwt,{forged}"))
    assert report.failed_check == "proof"


@pytest.mark.parametrize(
    ("identifier", "reason"),
    [
        ("https://credentials.example/1", "must be a data: URL"),
        ("data:application/vc+sd-jwt,abc.def.ghi", "cannot be read here"),
        ("data:application/vc+jwt,not a jws", "must hold a compact JWS"),
        ("data:application/vc+jwt;base64,YWJj", "must hold a compact JWS"),
    ],
    ids=["not-data-url", "other-media-type", "not-a-jws", "base64"],
)
def test_enveloped_credential_that_cannot_be_read_fails_parsing(identifier, reason, no_network):
    report = verify_credential(enveloped(identifier))
    assert report.failed_check == "parse"
    assert reason in explained(report.check("parse"))
