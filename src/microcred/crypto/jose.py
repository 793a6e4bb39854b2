"""VC-JOSE: a credential secured as a compact JWS with `typ: vc+jwt` (W3C VC-JOSE-COSE).

The JWS payload is the credential itself. `EdDSA` (Ed25519), `ES256` (P-256) and `ES384` (P-384)
are supported; the header's `kid` names the verification method, as in Data Integrity proofs.
`sign_jws` and `read_jws` are the compact JWS underneath, for the other typed JWTs
(SD-JWT, key-binding and key-proof JWTs, request objects).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from microcred.crypto.did_document import KeyUnavailable
from microcred.crypto.keys import ED25519, P256, P384, PrivateKey, PublicKey

MEDIA_TYPE = "vc+jwt"
# The `typ` a secured credential may carry: VC-JOSE-COSE's, the VC 1.1 JWT's, and Open Badges
# 3.0's (`JWT`, or none at all).
CREDENTIAL_TYPES: tuple[str | None, ...] = (MEDIA_TYPE, "vc-ld+jwt", "JWT", None)
_CHANGED = "the signature does not match: the token or its header was changed"
_ALGORITHMS = {ED25519: "EdDSA", P256: "ES256", P384: "ES384"}
MAX_TOKEN_BYTES = 1_000_000
# Subclasses of JSON types and dates make orjson refuse; `json.dumps` then writes or refuses them.
_ORJSON_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
# orjson reads integers beyond 64 bits (19 digits and more) as floats; json.loads keeps them.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_DIGITS = b"0" * 19


class JoseError(ValueError):
    """A vc+jwt token is malformed or its signature does not verify; the message says which."""


class SigningKeyUnavailable(JoseError):
    """The key that must have signed the token could not be had, so the signature is unchecked."""


def _b64url_bytes(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _b64url_encode(data: bytes) -> str:
    return _b64url_bytes(data).decode("ascii")


def _b64url_decode(text: str, part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise JoseError(f"the JWS {part} is not base64url") from error


def _json_part(text: str, part: str) -> dict[str, Any]:
    try:
        value = _json_value(_b64url_decode(text, part))
    except ValueError as error:
        raise JoseError(f"the JWS {part} is not JSON") from error
    if not isinstance(value, dict):
        raise JoseError(f"the JWS {part} must be a JSON object")
    return value


def _json_value(data: bytes) -> Any:
    """Return the value of JSON `data` exactly as `json.loads` reads it (the last of duplicate
    names wins, NaN and lone surrogates are read, integers keep every digit), faster."""
    if _NINETEEN_DIGITS in data.translate(_DIGITS_AS_ZERO):
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)  # what orjson refuses and json.loads reads: NaN, a BOM, ...


def _json_bytes(value: Any) -> bytes:
    """Return `value` as compact UTF-8 JSON, as `json.dumps` with `,` and `:` separators writes it.

    Floats may be spelled differently (`1e-7` for `1e-07`); they read back as the same numbers.
    UUIDs and members of plain enums, which `json.dumps` refuses, are written as their values.
    """
    try:
        data = orjson.dumps(value, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        pass  # integers beyond 64 bits, subclasses, dates: json.dumps writes or refuses them
    else:
        if b"null" not in data:  # orjson writes NaN and infinities as null too
            return data
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def b64url_encode(data: bytes) -> str:
    """Return `data` as unpadded base64url text."""
    return _b64url_encode(data)


def b64url_decode(text: str, part: str = "value") -> bytes:
    """Return the bytes of unpadded base64url text; raises `JoseError` naming `part`."""
    return _b64url_decode(text, part)


def algorithm_of(key: PrivateKey | PublicKey) -> str:
    """Return the JWS `alg` of a key: EdDSA for Ed25519, ES256 for P-256, ES384 for P-384."""
    return algorithm_for_key_type(key.algorithm)


def algorithm_for_key_type(key_type: str) -> str:
    """Return the JWS `alg` keys of `key_type` sign with (EdDSA, ES256, ES384)."""
    if key_type not in _ALGORITHMS:
        raise JoseError(f"no JWS algorithm for {key_type} keys")
    return _ALGORITHMS[key_type]


def sign_jws(header: dict[str, Any], payload: dict[str, Any], key: PrivateKey) -> str:
    """Return the compact JWS of `payload`; `alg` is set from the key."""
    header = {"alg": _ALGORITHMS[key.algorithm], **header}
    signing_input = b".".join(_b64url_bytes(_json_bytes(part)) for part in (header, payload))
    signature = key.sign(signing_input)
    return f"{signing_input.decode('ascii')}.{_b64url_encode(signature)}"


def read_jws(
    token: str,
    *,
    typ: str | tuple[str | None, ...],
    key_for: Callable[[dict[str, Any]], PublicKey],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (header, payload) of a compact JWS of type `typ` (or one of the types, None for
    no `typ`) after checking its signature.

    `key_for` is given the header and returns the key that must have signed it (raising
    LookupError or ValueError when there is none). Raises `JoseError`.
    """
    parts, header = _typed_parts(token, typ)
    try:
        key = key_for(header)
    except (LookupError, ValueError) as error:
        kind = SigningKeyUnavailable if _unavailable(error) else JoseError
        raise kind(f"the signing key cannot be found: {error}") from error
    expected_alg = _ALGORITHMS.get(key.algorithm)
    if header.get("alg") != expected_alg:
        raise JoseError(f"alg is {header.get('alg')!r} but the key needs {expected_alg!r}")
    signature = _b64url_decode(parts[2], "signature")
    if not key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii")):
        raise JoseError(_CHANGED)
    return header, _json_part(parts[1], "payload")


def _unavailable(error: BaseException | None) -> bool:
    """True when `error`, or one it was raised from, says the key could not be had at all."""
    while error is not None:
        if isinstance(error, KeyUnavailable):
            return True
        error = error.__cause__
    return False


def read_with_embedded_key(
    token: str, *, typ: str | tuple[str | None, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (header, payload) of a compact JWS whose header carries its own public key
    (`jwk`), after checking the signature with that key. Nothing here binds that key to anyone:
    the caller must. Raises `JoseError`."""
    parts, header = _typed_parts(token, typ)
    jwk, alg = header.get("jwk"), header.get("alg")
    signature = _b64url_decode(parts[2], "signature")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    try:
        if isinstance(jwk, dict) and jwk.get("kty") == "RSA":
            verified = _rsa_verifies(jwk, alg, signature, signing_input)
        else:
            key = PublicKey.from_jwk(jwk)
            if alg != _ALGORITHMS.get(key.algorithm):
                raise JoseError(f"alg is {alg!r}, which does not fit the header's jwk")
            verified = key.verify(signature, signing_input)
    except ValueError as error:
        if isinstance(error, JoseError):
            raise
        raise JoseError(f"the header's jwk cannot be used: {error}") from error
    if not verified:
        raise JoseError(_CHANGED)
    return header, _json_part(parts[1], "payload")


def _typed_parts(token: str, typ: str | tuple[str | None, ...]) -> tuple[list[str], dict[str, Any]]:
    """Return the three parts and the header of a compact JWS whose `typ` is one accepted."""
    if len(token) > MAX_TOKEN_BYTES:
        raise JoseError(f"the token is longer than {MAX_TOKEN_BYTES} bytes")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise JoseError("a compact JWS has three dot-separated parts")
    header = _json_part(parts[0], "header")
    accepted = (typ,) if isinstance(typ, str) else typ
    if header.get("typ") not in accepted:
        names = " or ".join("no typ" if t is None else repr(t) for t in accepted)
        raise JoseError(f"typ is {header.get('typ')!r}, expected {names}")
    if "crit" in header:
        raise JoseError("critical header parameters are not supported")
    return parts, header


def _rsa_verifies(jwk: dict[str, Any], alg: Any, signature: bytes, data: bytes) -> bool:
    """True when the RSA public key in ``jwk`` made ``signature`` over ``data`` with RS256."""
    if alg != "RS256":
        raise JoseError(f"alg is {alg!r}; an RSA jwk is read with RS256 only")
    if "d" in jwk:
        raise JoseError("the header's jwk holds a private key")
    numbers = [
        int.from_bytes(_b64url_decode(str(jwk.get(name, "")), "jwk"), "big") for name in "en"
    ]
    key = rsa.RSAPublicNumbers(*numbers).public_key()
    if key.key_size < 2048:
        raise JoseError(f"the header's RSA key has {key.key_size} bits; at least 2048 are needed")
    try:
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def issue_vc_jwt(credential: dict[str, Any], key: PrivateKey, *, kid: str) -> str:
    """Return `credential` secured as a compact JWS (`header.payload.signature`)."""
    return sign_jws({"kid": kid, "typ": MEDIA_TYPE, "cty": "vc"}, credential, key)


def verify_vc_jwt(token: str, *, resolve_key: Callable[[str], PublicKey]) -> dict[str, Any]:
    """Return the credential inside a vc+jwt after checking its signature; raises `JoseError`."""

    def key_for(header: dict[str, Any]) -> PublicKey:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise LookupError("the header has no kid naming the verification method")
        try:
            return resolve_key(kid)
        except (LookupError, ValueError) as error:
            raise LookupError(f"the key {kid!r} cannot be resolved: {error}") from error

    return read_jws(token, typ=CREDENTIAL_TYPES, key_for=key_for)[1]
