"""VC-JOSE: a credential secured as a compact JWS with `typ: vc+jwt` (W3C VC-JOSE-COSE).

The JWS payload is the credential itself. `EdDSA` (Ed25519) and `ES256` (P-256) are supported;
the header's `kid` names the verification method, as in Data Integrity proofs.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from microcred.crypto.keys import ED25519, P256, PrivateKey, PublicKey

MEDIA_TYPE = "vc+jwt"
_ALGORITHMS = {ED25519: "EdDSA", P256: "ES256"}
MAX_TOKEN_BYTES = 1_000_000


class JoseError(ValueError):
    """A vc+jwt token is malformed or its signature does not verify; the message says which."""


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str, part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise JoseError(f"the JWS {part} is not base64url") from error


def _json_part(text: str, part: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64url_decode(text, part))
    except ValueError as error:
        raise JoseError(f"the JWS {part} is not JSON") from error
    if not isinstance(value, dict):
        raise JoseError(f"the JWS {part} must be a JSON object")
    return value


def issue_vc_jwt(credential: dict[str, Any], key: PrivateKey, *, kid: str) -> str:
    """Return `credential` secured as a compact JWS (`header.payload.signature`)."""
    header = {"alg": _ALGORITHMS[key.algorithm], "kid": kid, "typ": MEDIA_TYPE, "cty": "vc"}
    signing_input = ".".join(
        _b64url_encode(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        for part in (header, credential)
    )
    signature = key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url_encode(signature)}"


def verify_vc_jwt(token: str, *, resolve_key: Callable[[str], PublicKey]) -> dict[str, Any]:
    """Return the credential inside a vc+jwt after checking its signature; raises `JoseError`."""
    if len(token) > MAX_TOKEN_BYTES:
        raise JoseError(f"the token is longer than {MAX_TOKEN_BYTES} bytes")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError("a compact JWS has three dot-separated parts")
    header = _json_part(parts[0], "header")
    if header.get("typ") != MEDIA_TYPE:
        raise JoseError(f"typ is {header.get('typ')!r}, expected {MEDIA_TYPE!r}")
    if "crit" in header:
        raise JoseError("critical header parameters are not supported")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise JoseError("the header has no kid naming the verification method")
    try:
        key = resolve_key(kid)
    except (LookupError, ValueError) as error:
        raise JoseError(f"the key {kid!r} cannot be resolved: {error}") from error
    expected_alg = _ALGORITHMS.get(key.algorithm)
    if header.get("alg") != expected_alg:
        raise JoseError(f"alg is {header.get('alg')!r} but the key {kid!r} needs {expected_alg!r}")
    signature = _b64url_decode(parts[2], "signature")
    if not key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii")):
        raise JoseError("the signature does not match: the credential or its header was changed")
    return _json_part(parts[1], "payload")
