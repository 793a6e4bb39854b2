"""The pure rules of OB 2.0 verification (recipient hashes, origins, revocation lists) and the
PEM-key JWS check, without a network."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from microcred.crypto.jose import JoseError
from microcred.crypto.pem_jws import verify_pem_jws
from microcred.verify.ob2.rules import hosted_origin_problem, recipient_matches, revocation_of


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_recipient_hashes_in_sha256_and_md5_and_in_the_clear() -> None:
    sha = "sha256$" + hashlib.sha256(b"ada@example.orgpepper").hexdigest()
    md5 = "md5$" + hashlib.md5(b"ada@example.org").hexdigest()  # noqa: S324 (OB 1.x badges)
    assert recipient_matches({"hashed": True, "salt": "pepper", "identity": sha}, "ada@example.org")
    assert recipient_matches({"hashed": True, "identity": md5}, "ADA@example.org")
    assert recipient_matches({"hashed": False, "identity": "Ada@Example.org"}, "ada@example.org")
    assert not recipient_matches({"hashed": True, "identity": sha}, "ada@example.org")  # no salt
    assert not recipient_matches({"hashed": True, "identity": "sha1$00"}, "ada@example.org")


def test_hosted_origin_defaults_to_the_issuers_own_host() -> None:
    profile = {"id": "https://badges.lahntal.example/issuer"}
    assert hosted_origin_problem("https://badges.lahntal.example/a/1", profile) is None
    assert hosted_origin_problem("https://evil.example/a/1", profile) is not None
    allowed = {**profile, "verification": {"allowedOrigins": "cdn.lahntal.example"}}
    assert hosted_origin_problem("https://cdn.lahntal.example/a/1", allowed) is None
    assert hosted_origin_problem("https://badges.lahntal.example/a/1", allowed) is not None


def test_revocation_list_names_assertions_by_id_or_uid() -> None:
    revoked = {"revokedAssertions": ["urn:uuid:1", {"uid": "abc", "revocationReason": "error"}]}
    assert revocation_of(revoked, {"id": "urn:uuid:1"}) == ""
    assert revocation_of(revoked, {"id": "urn:uuid:2", "uid": "abc"}) == "error"
    assert revocation_of(revoked, {"id": "urn:uuid:3"}) is None


def test_es256_jws_verifies_with_a_p256_pem_key() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    signing_input = _b64(b'{"alg":"ES256"}') + "." + _b64(json.dumps({"a": 1}).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    token = f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    assert verify_pem_jws(token, _pem(key))[1] == {"a": 1}
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(JoseError, match="does not match"):
        verify_pem_jws(token, _pem(other))


def test_short_rsa_keys_are_refused() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    token = _b64(b'{"alg":"RS256"}') + "." + _b64(b"{}") + ".AAAA"
    with pytest.raises(JoseError, match="1024 bits"):
        verify_pem_jws(token, _pem(key))


def test_pem_that_is_no_key_is_refused() -> None:
    with pytest.raises(JoseError, match="not a PEM public key"):
        verify_pem_jws("e30.e30.AAAA", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----")
