"""Selective Disclosure for JWTs (SD-JWT, RFC 9901): issue, present with chosen claims, verify.

An SD-JWT is an issuer-signed JWT whose payload lists, under `_sd`, the SHA-256 digests of
salted disclosures (`[salt, name, value]`, base64url). The holder sends the JWT with only the
disclosures it chooses, `jwt~d1~d2~`, and, for key binding, ends it with a KB-JWT
(`typ: kb+jwt`) signed by the key in the credential's `cnf` claim over the verifier's `aud` and
`nonce`, with `sd_hash` covering everything before it. A verifier learns a claim's value only
from its disclosure; an undisclosed claim is a digest it cannot reverse (salt of 128 bits).

Issuing makes top-level claims disclosable; verifying also reads nested `_sd` objects and
array elements (`{"...": digest}`) made by other issuers. The JWS itself is `crypto.jose`.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.crypto import jose
from microcred.crypto.keys import PrivateKey, PublicKey

SD_ALG = "sha-256"
KB_JWT_TYPE = "kb+jwt"
CLOCK_SKEW_SECONDS = 60
_RESERVED = {"_sd", "...", "_sd_alg"}


class SdJwtError(ValueError):
    """An SD-JWT is malformed, forged, or not bound as required; the message says which."""


@dataclass(frozen=True)
class Disclosure:
    """One salted claim as sent: its base64url text, and the name and value it reveals."""

    encoded: str
    salt: str
    name: str | None  # None for an array element
    value: Any

    @property
    def digest(self) -> str:
        return digest_of(self.encoded)


def digest_of(text: str) -> str:
    """Return the base64url SHA-256 digest of ASCII text (a disclosure or a presentation)."""
    return jose.b64url_encode(hashlib.sha256(text.encode("ascii")).digest())


def make_disclosure(name: str, value: Any, salt: str | None = None) -> Disclosure:
    """Return the disclosure of one object property, with a fresh 128-bit salt."""
    if name in _RESERVED:
        raise SdJwtError(f"{name!r} cannot be a selectively disclosable claim")
    salt = salt or secrets.token_urlsafe(16)
    text = json.dumps([salt, name, value], ensure_ascii=False, separators=(",", ":"))
    return Disclosure(jose.b64url_encode(text.encode("utf-8")), salt, name, value)


def issue_sd_jwt(
    payload: dict[str, Any],
    disclosable: dict[str, Any],
    key: PrivateKey,
    *,
    header: dict[str, Any],
    decoys: int = 2,
) -> str:
    """Return an SD-JWT (`jwt~d1~...~`): `payload` always visible, `disclosable` each hidden
    behind a digest until the holder discloses it; `decoys` extra digests hide the count."""
    clash = sorted(set(payload) & set(disclosable))
    if clash:
        raise SdJwtError(f"claims {clash} are both always visible and disclosable")
    disclosures = [make_disclosure(name, value) for name, value in disclosable.items()]
    digests = [d.digest for d in disclosures]
    digests += [digest_of(secrets.token_urlsafe(16)) for _ in range(decoys)]
    signed = {**payload, "_sd": sorted(digests), "_sd_alg": SD_ALG}
    jwt = jose.sign_jws(header, signed, key)
    return "~".join([jwt, *(d.encoded for d in disclosures)]) + "~"


@dataclass(frozen=True)
class SdJwt:
    """An SD-JWT as received: the issuer's JWT, the disclosures sent, the KB-JWT if any."""

    jwt: str
    disclosures: tuple[Disclosure, ...]
    key_binding_jwt: str | None

    def without_key_binding(self) -> str:
        """Return `jwt~d1~...~`: what a KB-JWT's `sd_hash` covers."""
        return "~".join([self.jwt, *(d.encoded for d in self.disclosures)]) + "~"


def parse_sd_jwt(text: str) -> SdJwt:
    """Return the parts of `jwt~d1~...~[kb-jwt]`; raises `SdJwtError` for a malformed one."""
    if not isinstance(text, str) or "~" not in text:
        raise SdJwtError("an SD-JWT is the issuer's JWT followed by '~'-separated disclosures")
    if len(text) > jose.MAX_TOKEN_BYTES:
        raise SdJwtError(f"the SD-JWT is longer than {jose.MAX_TOKEN_BYTES} bytes")
    parts = text.strip().split("~")
    jwt, middle, last = parts[0], parts[1:-1], parts[-1]
    if not jwt or any(not part for part in middle):
        raise SdJwtError("the SD-JWT has an empty part between '~' separators")
    return SdJwt(jwt, tuple(_read_disclosure(part) for part in middle), last or None)


def _read_disclosure(encoded: str) -> Disclosure:
    try:
        value = json.loads(jose.b64url_decode(encoded, "disclosure"))
    except (ValueError, jose.JoseError) as error:
        raise SdJwtError(f"a disclosure is not base64url JSON: {encoded[:24]}...") from error
    if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str):
        raise SdJwtError("a disclosure must be [salt, name, value] or [salt, value]")
    if len(value) == 2:
        return Disclosure(encoded, value[0], None, value[1])
    if not isinstance(value[1], str) or value[1] in _RESERVED:
        raise SdJwtError(f"a disclosure names the claim {value[1]!r}, which is not allowed")
    return Disclosure(encoded, value[0], value[1], value[2])


def present(
    sd_jwt: str,
    disclose: Iterable[str],
    holder_key: PrivateKey,
    *,
    audience: str,
    nonce: str,
    issued_at: int,
) -> str:
    """Return a presentation of `sd_jwt` revealing only the claims named in `disclose`, bound
    to `audience` and `nonce` by a KB-JWT signed with `holder_key`."""
    parsed = parse_sd_jwt(sd_jwt)
    wanted = set(disclose)
    kept = tuple(d for d in parsed.disclosures if d.name in wanted)
    missing = wanted - {d.name for d in kept}
    if missing:
        raise SdJwtError(f"the credential has no disclosable claim {sorted(missing)}")
    presented = SdJwt(parsed.jwt, kept, None).without_key_binding()
    claims = {"iat": issued_at, "aud": audience, "nonce": nonce, "sd_hash": digest_of(presented)}
    return presented + jose.sign_jws({"typ": KB_JWT_TYPE}, claims, holder_key)


@dataclass(frozen=True)
class KeyBinding:
    """What a verifier requires of the KB-JWT: its audience and the nonce it handed out."""

    audience: str
    nonce: str
    max_age_seconds: int = 300


@dataclass(frozen=True)
class VerifiedSdJwt:
    """A verified SD-JWT: the header, the claims with every disclosed value in place (no `_sd`
    left), the names disclosed, and whether a KB-JWT proved the holder's key."""

    header: dict[str, Any]
    claims: dict[str, Any]
    disclosed: tuple[str, ...]
    key_bound: bool


def verify_sd_jwt(
    text: str,
    *,
    typ: str,
    issuer_key_for: Callable[[dict[str, Any]], PublicKey],
    key_binding: KeyBinding | None,
    now: datetime,
) -> VerifiedSdJwt:
    """Return the verified SD-JWT; raises `SdJwtError` (or `jose.JoseError` for the signature).

    With `key_binding`, a KB-JWT signed by the key in `cnf.jwk` must carry that audience and
    nonce, be recent, and hash exactly the disclosures sent. Without it, a KB-JWT is refused
    rather than ignored, since nobody would check what it binds.
    """
    parsed = parse_sd_jwt(text)
    header, payload = jose.read_jws(parsed.jwt, typ=typ, key_for=issuer_key_for)
    if payload.get("_sd_alg", SD_ALG) != SD_ALG:
        raise SdJwtError(f"_sd_alg {payload.get('_sd_alg')!r} is not supported; use {SD_ALG}")
    by_digest: dict[str, Disclosure] = {}
    for disclosure in parsed.disclosures:
        if disclosure.digest in by_digest:
            raise SdJwtError("the same disclosure is sent twice")
        by_digest[disclosure.digest] = disclosure
    used: set[str] = set()
    claims = _disclose(payload, by_digest, used)
    unused = set(by_digest) - used
    if unused:
        raise SdJwtError(f"{len(unused)} disclosure(s) match no digest the issuer signed")
    claims.pop("_sd_alg", None)
    disclosed = tuple(d.name for d in parsed.disclosures if d.name is not None)
    if key_binding is None:
        if parsed.key_binding_jwt is not None:
            raise SdJwtError("a key-binding JWT came where none was asked for")
        return VerifiedSdJwt(header, claims, disclosed, key_bound=False)
    if parsed.key_binding_jwt is None:
        raise SdJwtError("the presentation has no key-binding JWT (the holder's proof)")
    _check_key_binding(parsed, claims, key_binding, now)
    return VerifiedSdJwt(header, claims, disclosed, key_bound=True)


def _disclose(node: Any, by_digest: dict[str, Disclosure], used: set[str]) -> Any:
    if isinstance(node, list):
        items = []
        for item in node:
            if isinstance(item, dict) and set(item) == {"..."}:
                disclosure = _take(item["..."], by_digest, used)
                if disclosure is None:
                    continue  # an element not disclosed (or a decoy) is left out
                if disclosure.name is not None:
                    raise SdJwtError("an array element's disclosure must not name a claim")
                items.append(_disclose(disclosure.value, by_digest, used))
            else:
                items.append(_disclose(item, by_digest, used))
        return items
    if not isinstance(node, dict):
        return node
    digests = node.get("_sd", [])
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        raise SdJwtError("_sd must be an array of digests")
    result = {name: _disclose(value, by_digest, used) for name, value in node.items()}
    result.pop("_sd", None)
    for digest in digests:
        disclosure = _take(digest, by_digest, used)
        if disclosure is None:
            continue
        if disclosure.name is None:
            raise SdJwtError("an object property's disclosure must name its claim")
        if disclosure.name in result:
            raise SdJwtError(f"the claim {disclosure.name!r} is disclosed where it already is")
        result[disclosure.name] = _disclose(disclosure.value, by_digest, used)
    return result


def _take(digest: Any, by_digest: dict[str, Disclosure], used: set[str]) -> Disclosure | None:
    if not isinstance(digest, str):
        raise SdJwtError("a digest must be a string")
    if digest in used:
        raise SdJwtError("the issuer's JWT lists the same digest twice")
    disclosure = by_digest.get(digest)
    if disclosure is not None:
        used.add(digest)
    return disclosure


def _check_key_binding(
    parsed: SdJwt, claims: dict[str, Any], expected: KeyBinding, now: datetime
) -> None:
    confirmation = claims.get("cnf")
    if not isinstance(confirmation, dict) or "jwk" not in confirmation:
        raise SdJwtError("the credential names no holder key (cnf.jwk) to check the binding")
    try:
        holder_key = PublicKey.from_jwk(confirmation["jwk"])
    except ValueError as error:
        raise SdJwtError(f"the holder key in cnf.jwk cannot be read: {error}") from error
    assert parsed.key_binding_jwt is not None
    _header, binding = jose.read_jws(
        parsed.key_binding_jwt, typ=KB_JWT_TYPE, key_for=lambda _header: holder_key
    )
    if binding.get("aud") != expected.audience:
        raise SdJwtError(f"the presentation is meant for {binding.get('aud')!r}, not this verifier")
    if not isinstance(binding.get("nonce"), str) or not secrets.compare_digest(
        binding["nonce"].encode(), expected.nonce.encode()
    ):
        raise SdJwtError("the presentation's nonce is not the one this request sent")
    issued = binding.get("iat")
    if not isinstance(issued, int | float):
        raise SdJwtError("the key-binding JWT has no iat")
    age = now.timestamp() - issued
    if age < -CLOCK_SKEW_SECONDS or age > expected.max_age_seconds:
        raise SdJwtError(f"the key-binding JWT was made {int(age)} s ago; too old or in the future")
    if binding.get("sd_hash") != digest_of(parsed.without_key_binding()):
        raise SdJwtError("sd_hash does not cover the disclosures sent: they were changed")
