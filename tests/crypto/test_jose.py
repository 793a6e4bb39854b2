"""VC-JOSE: vc+jwt issue and verify with EdDSA and ES256."""

from __future__ import annotations

import base64
import json

import pytest

from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.jose import JoseError, issue_vc_jwt, verify_vc_jwt
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PrivateKey


def _header(token: str) -> dict:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.mark.parametrize(("algorithm", "alg"), [("Ed25519", "EdDSA"), ("P-256", "ES256")])
def test_vc_jwt_round_trips_and_names_its_type(alumni_credential, algorithm, alg):
    key = PrivateKey.generate(algorithm)
    token = issue_vc_jwt(alumni_credential, key, kid=did_key_verification_method_id(key.public_key))
    assert _header(token)["typ"] == "vc+jwt" and _header(token)["alg"] == alg
    assert verify_vc_jwt(token, resolve_key=key_resolver()) == alumni_credential


def test_changed_payload_fails(alumni_credential):
    key = PrivateKey.generate()
    token = issue_vc_jwt(alumni_credential, key, kid=did_key_verification_method_id(key.public_key))
    forged = dict(alumni_credential, name="Forged")
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    header, _payload, signature = token.split(".")
    with pytest.raises(JoseError, match="does not match"):
        verify_vc_jwt(f"{header}.{payload}.{signature}", resolve_key=key_resolver())


def test_malformed_tokens_fail_with_a_reason():
    with pytest.raises(JoseError, match="three"):
        verify_vc_jwt("abc", resolve_key=key_resolver())
    with pytest.raises(JoseError, match="header"):
        verify_vc_jwt("!!.e30.e30", resolve_key=key_resolver())
