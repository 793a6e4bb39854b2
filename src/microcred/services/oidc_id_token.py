"""Checking an OpenID Connect ID token: its RS256/ES256 signature by the provider's JWKS, then
its claims (iss, aud, azp, exp, iat, nonce). Pure: the keys are passed in."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

ALGORITHMS = ("RS256", "ES256")
CLOCK_SKEW_SECONDS = 60


class IdTokenInvalid(ValueError):
    """The ID token must not be trusted; the message says which check failed."""


@dataclass(frozen=True)
class HashedNonce:
    """The nonce a login sent, known only by its hex SHA-256 (as a stored login keeps it)."""

    sha256: str

    def matches(self, nonce: str) -> bool:
        digest = hashlib.sha256(nonce.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest.encode(), self.sha256.encode())


def verify_id_token(
    token: str,
    jwks: dict[str, Any],
    *,
    issuer: str,
    audience: str,
    nonce: str | HashedNonce,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Return the claims of ``token`` after checking its signature and claims."""
    try:
        header_part, payload_part, signature_part = token.split(".")
    except ValueError:
        raise IdTokenInvalid(
            "the ID token is not a compact JWS (three dot-separated parts)"
        ) from None
    header, claims = _json(header_part, "header"), _json(payload_part, "payload")
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise IdTokenInvalid(f"ID token algorithm {algorithm!r} is not one of {ALGORITHMS}")
    key = _key_for(jwks, header.get("kid"), algorithm)
    signed = f"{header_part}.{payload_part}".encode("ascii")
    if not _signature_valid(key, algorithm, _b64(signature_part, "signature"), signed):
        raise IdTokenInvalid("the ID token's signature does not verify with the provider's keys")
    _check_claims(claims, issuer, audience, nonce, now or datetime.now(UTC))
    return claims


def _check_claims(
    claims: dict[str, Any], issuer: str, audience: str, nonce: str | HashedNonce, now: datetime
) -> None:
    if claims.get("iss") != issuer:
        raise IdTokenInvalid(f"ID token issuer {claims.get('iss')!r} is not {issuer!r}")
    audiences = claims.get("aud")
    audiences = [audiences] if isinstance(audiences, str) else audiences
    if not isinstance(audiences, list) or audience not in audiences:
        raise IdTokenInvalid(f"the ID token is not meant for this client ({audience!r})")
    if len(audiences) > 1 and claims.get("azp") != audience:
        raise IdTokenInvalid("the ID token has several audiences but 'azp' is not this client")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires + CLOCK_SKEW_SECONDS < now.timestamp():
        raise IdTokenInvalid("the ID token has expired (or has no 'exp')")
    issued = claims.get("iat")
    if isinstance(issued, int | float) and issued - CLOCK_SKEW_SECONDS > now.timestamp():
        raise IdTokenInvalid("the ID token was issued in the future ('iat')")
    if not isinstance(claims.get("nonce"), str) or not _nonce_matches(claims["nonce"], nonce):
        raise IdTokenInvalid("the ID token's nonce is not the one this login sent")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise IdTokenInvalid("the ID token has no subject ('sub')")


def _nonce_matches(sent: str, expected: str | HashedNonce) -> bool:
    if isinstance(expected, HashedNonce):
        return expected.matches(sent)
    return hmac.compare_digest(sent.encode(), expected.encode())


def _key_for(
    jwks: dict[str, Any], kid: Any, algorithm: str
) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    kty = "RSA" if algorithm == "RS256" else "EC"
    candidates = [
        jwk
        for jwk in jwks.get("keys", [])
        if isinstance(jwk, dict)
        and jwk.get("kty") == kty
        and (kid is None or jwk.get("kid") == kid)
        and jwk.get("use", "sig") == "sig"
    ]
    if len(candidates) != 1:
        raise IdTokenInvalid(f"the provider's JWKS has no single {kty} key with kid {kid!r}")
    jwk = candidates[0]
    try:
        if kty == "RSA":
            return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
        if jwk.get("crv") != "P-256":
            raise IdTokenInvalid("an ES256 key must be on the P-256 curve")
        return ec.EllipticCurvePublicNumbers(
            _int(jwk["x"]), _int(jwk["y"]), ec.SECP256R1()
        ).public_key()
    except (KeyError, ValueError) as error:
        raise IdTokenInvalid(f"the provider's key {kid!r} cannot be read: {error}") from None


def _signature_valid(
    key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
    algorithm: str,
    signature: bytes,
    signed: bytes,
) -> bool:
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            if len(signature) != 64:
                return False
            der = encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            key.verify(der, signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def _b64(text: str, part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise IdTokenInvalid(f"the ID token's {part} is not base64url") from None


def _json(text: str, part: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64(text, part))
    except ValueError:
        raise IdTokenInvalid(f"the ID token's {part} is not JSON") from None
    if not isinstance(value, dict):
        raise IdTokenInvalid(f"the ID token's {part} is not a JSON object")
    return value


def _int(text: str) -> int:
    return int.from_bytes(_b64(text, "key"), "big")
