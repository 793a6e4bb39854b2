"""The JAdES header members an EDC seal uses (ETSI TS 119 182-1), read and checked.

Signed (protected) members understood here, and so accepted in ``crit``:

- ``b64`` (RFC 7797): false when the payload is carried as it is, not base64url-encoded;
- ``sigT``: the claimed signing time, required for baseline-B;
- ``x5t#o`` and ``sigX5ts``: digests of the seal certificate (and others), with a JAdES digest
  algorithm id (``S256``, ``S384``, ``S512``, ``S3-256``...); ``x5t#S256`` (RFC 7515) likewise;
- ``adoTst``: content time-stamps (RFC 3161 tokens) over the sealed data;
- ``sigD``: the sealed data is detached and named by URI; an EDC's seal carries its payload,
  so a seal with ``sigD`` is refused with that reason.

The unsigned ``etsiU`` header holds later additions (a signature time-stamp ``sigTst``,
validation data); being unsigned it can never make a changed payload verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

UNDERSTOOD_CRITICAL = ("b64", "sigT", "x5t#o", "sigX5ts", "sigD", "adoTst")
DIGESTS = {
    "S256": "sha256",
    "S384": "sha384",
    "S512": "sha512",
    "S3-256": "sha3_256",
    "S3-384": "sha3_384",
    "S3-512": "sha3_512",
}


def header_problem(header: dict[str, Any], chain: list[x509.Certificate]) -> str | None:
    """Say why the protected ``header`` of a seal by ``chain`` is not accepted; None if it is."""
    critical = header.get("crit", [])
    if not isinstance(critical, list) or not all(isinstance(name, str) for name in critical):
        return "crit must be a list of header parameter names"
    unknown = [name for name in critical if name not in UNDERSTOOD_CRITICAL]
    if unknown:
        return f"crit names header parameters this verifier does not understand: {unknown}"
    missing = [name for name in critical if name not in header]
    if missing:
        return f"crit names header parameters the header does not carry: {missing}"
    if "b64" in header and ("b64" not in critical or not isinstance(header["b64"], bool)):
        return "b64 must be true or false and listed in crit (RFC 7797)"
    if "sigD" in header:
        return (
            "sigD says the sealed data is detached (named by URI); an EDC seal must carry its "
            "payload, so there is nothing here to check it against"
        )
    return _certificate_reference_problem(header, chain) or _timestamp_shape_problem(header)


def content_timestamp_tokens(header: dict[str, Any]) -> list[bytes]:
    """Return the DER time-stamp tokens of the ``adoTst`` member (none when absent)."""
    return tokens_of(header["adoTst"]) if "adoTst" in header else []


def signature_timestamp_tokens(unprotected: Any) -> list[bytes]:
    """Return the DER tokens of every ``sigTst`` in the unsigned ``etsiU`` header; raises
    ValueError when etsiU cannot be read."""
    tokens: list[bytes] = []
    for _, component in unsigned_components(unprotected):
        if "sigTst" in component:
            tokens += tokens_of(component["sigTst"])
    return tokens


def unsigned_components(unprotected: Any) -> list[tuple[Any, dict[str, Any]]]:
    """Return each ``etsiU`` component as (its value as in the file, the decoded object); raises
    ValueError when etsiU cannot be read."""
    if not isinstance(unprotected, dict) or "etsiU" not in unprotected:
        return []
    components = unprotected["etsiU"]
    if not isinstance(components, list):
        raise ValueError("etsiU must be an array")
    found = []
    for raw in components:
        component = raw
        if isinstance(raw, str):  # base64url-encoded JSON, as JAdES allows
            try:
                component = json.loads(decode_base64(raw))
            except RecursionError as error:
                raise ValueError("an etsiU component is nested too deeply") from error
        if not isinstance(component, dict) or len(component) != 1:
            raise ValueError("each etsiU component is an object with one member")
        found.append((raw, component))
    return found


def tokens_of(container: Any) -> list[bytes]:
    """Return the DER tokens of a JAdES tstContainer; raises ValueError when malformed."""
    tokens = container.get("tstTokens") if isinstance(container, dict) else None
    if not isinstance(tokens, list) or not tokens:
        raise ValueError("a time-stamp container needs a non-empty tstTokens array")
    found = []
    for token in tokens:
        value = token.get("val") if isinstance(token, dict) else None
        if not isinstance(value, str):
            raise ValueError("each tstTokens entry needs a val string")
        encoding = token.get("encoding")
        if encoding not in (None, "DER", "der", "http://uri.etsi.org/19182/DER"):
            raise ValueError(f"time-stamp tokens in {encoding} encoding are not read here")
        found.append(decode_base64(value))
    return found


def decode_base64(text: str) -> bytes:
    """Return the bytes of base64 or base64url text (JAdES values use either)."""
    try:
        standard = text.replace("-", "+").replace("_", "/").rstrip("=")
        return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("a value is not base64") from error


def b64url(data: bytes) -> str:
    """Return ``data`` as unpadded base64url text."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _certificate_reference_problem(
    header: dict[str, Any], chain: list[x509.Certificate]
) -> str | None:
    leaf = chain[0].public_bytes(serialization.Encoding.DER)
    if "x5t#S256" in header and header["x5t#S256"] != b64url(hashlib.sha256(leaf).digest()):
        return "x5t#S256 does not match the seal certificate"
    if "x5t#o" in header and not _digest_matches(header["x5t#o"], leaf):
        return "x5t#o does not match the seal certificate"
    if "sigX5ts" in header:
        references = header["sigX5ts"]
        ders = [c.public_bytes(serialization.Encoding.DER) for c in chain]
        if not isinstance(references, list) or not references:
            return "sigX5ts must be a non-empty array of certificate digests"
        if not _digest_matches(references[0], leaf):
            return "the first sigX5ts entry does not match the seal certificate"
        if not all(any(_digest_matches(r, der) for der in ders) for r in references):
            return "a sigX5ts entry matches no certificate of x5c"
    return None


def _digest_matches(reference: Any, der: bytes) -> bool:
    """True when ``reference`` ({digAlg, digVal}) is a digest of ``der``."""
    if not isinstance(reference, dict):
        return False
    algorithm = DIGESTS.get(reference.get("digAlg", ""))
    value = reference.get("digVal")
    if algorithm is None or not isinstance(value, str):
        return False
    try:
        return decode_base64(value) == hashlib.new(algorithm, der).digest()
    except ValueError:
        return False


def _timestamp_shape_problem(header: dict[str, Any]) -> str | None:
    if "adoTst" not in header:
        return None
    try:
        content_timestamp_tokens(header)
    except ValueError as error:
        return f"adoTst cannot be read: {error}"
    return None
