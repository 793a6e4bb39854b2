"""A compact JWS checked with a PEM public key: how Open Badges 2.0 signs an assertion.

An OB 2.0 issuer publishes a ``CryptographicKey`` with a ``publicKeyPem``; its signed
assertions are compact JWS, in practice RS256 (RSA, PKCS#1 v1.5, SHA-256). ES256 (P-256) is
read too. The algorithm must fit the key, so a header cannot choose a weaker check
(``none``, or HS256 with the public key as a secret).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from microcred.crypto.jose import MAX_TOKEN_BYTES, JoseError, b64url_decode

MIN_RSA_BITS = 2048
_P256_SIZE = 32


def verify_pem_jws(token: str, public_key_pem: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (header, payload) of a compact JWS after checking its signature with the key in
    ``public_key_pem``; raises `JoseError` saying what is wrong."""
    if len(token) > MAX_TOKEN_BYTES:
        raise JoseError(f"the token is longer than {MAX_TOKEN_BYTES} bytes")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError("a compact JWS has three dot-separated parts")
    header, payload = _json_object(parts[0], "header"), _json_object(parts[1], "payload")
    if "crit" in header:
        raise JoseError("critical header parameters are not supported")
    key = _public_key(public_key_pem)
    signature = b64url_decode(parts[2], "signature")
    signed = f"{parts[0]}.{parts[1]}".encode("ascii")
    alg = header.get("alg")
    try:
        if isinstance(key, rsa.RSAPublicKey):
            _require(alg == "RS256", f"alg is {alg!r}, but an RSA key signs with RS256")
            _require(key.key_size >= MIN_RSA_BITS, f"the RSA key has only {key.key_size} bits")
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            _require(alg == "ES256", f"alg is {alg!r}, but a P-256 key signs with ES256")
            _require(len(signature) == 2 * _P256_SIZE, "the ES256 signature has the wrong length")
            r = int.from_bytes(signature[:_P256_SIZE], "big")
            s = int.from_bytes(signature[_P256_SIZE:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise JoseError(
            "the signature does not match: the assertion or its header was changed"
        ) from None
    return header, payload


def _public_key(pem: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """Return the RSA or P-256 public key in PEM text; raises `JoseError`."""
    try:
        key = serialization.load_pem_public_key(pem.encode("utf-8"))
    except (ValueError, UnsupportedAlgorithm) as error:
        raise JoseError("publicKeyPem is not a PEM public key") from error
    if isinstance(key, rsa.RSAPublicKey):
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise JoseError("publicKeyPem must be an RSA or a P-256 key")


def _json_object(part: str, name: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(part, name))
    except (ValueError, RecursionError) as error:
        raise JoseError(f"the JWS {name} is not JSON") from error
    if not isinstance(value, dict):
        raise JoseError(f"the JWS {name} must be a JSON object")
    return value


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise JoseError(message)
