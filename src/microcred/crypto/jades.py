"""JAdES baseline-B seals (ETSI TS 119 182-1) as EDC uses them: enveloping, JWS JSON serialisation.

The payload is not base64url-encoded (``b64: false``, RFC 7797), so the sealed file carries the
credential's JSON text as it is and the signature covers exactly those bytes:
``ASCII(BASE64URL(protected)) || "." || payload``. The protected header names the algorithm
(RS256 for RSA seal keys, ES256 for P-256), the certificate chain (``x5c``) and its
SHA-256 thumbprint (``x5t#S256``), ``kid`` (the base64 DER IssuerSerial of the seal
certificate, as the standard asks) and the claimed signing time ``sigT``; ``crit`` lists
``b64`` and ``sigT``, which a verifier must understand.

Verification reports separately whether the seal is intact (the signature over the payload
verifies with the certificate it names) and whether the sealer is trusted (that certificate
chains to a root of the trust store and was valid at ``sigT``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from microcred.crypto.x509_seal import (
    SealCredentials,
    chain_problem,
    claims_qualified_seal,
    organisation_identifier,
)

UNDERSTOOD_CRITICAL = {"b64", "sigT"}
ALGORITHMS = ("RS256", "ES256")


class JadesError(ValueError):
    """A seal cannot be made, or a sealed file cannot be read as JAdES; the message says why."""


@dataclass(frozen=True)
class JadesVerification:
    """What checking one JAdES seal found."""

    seal_intact: bool
    sealer_trusted: bool
    reason: str  # why the seal is broken, or why the sealer is not trusted, or "ok"
    signing_time: datetime | None = None
    algorithm: str | None = None
    sealer: str | None = None  # the seal certificate's subject
    organisation_identifier: str | None = None
    qualified: bool = False  # the certificate *claims* to be a qualified e-seal certificate
    chain: list[str] = field(default_factory=list)


def seal(payload: bytes, credentials: SealCredentials, signing_time: datetime) -> dict[str, Any]:
    """Return the JAdES baseline-B enveloping seal of ``payload`` (JWS JSON serialisation)."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JadesError("the payload must be UTF-8 text (the credential's JSON)") from error
    algorithm = _algorithm_for(credentials.key)
    leaf = credentials.certificate
    header = {
        "alg": algorithm,
        "b64": False,
        "crit": ["b64", "sigT"],
        "cty": "json",
        "kid": issuer_serial(leaf),
        "sigT": signing_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x5c": [base64.b64encode(_der(c)).decode("ascii") for c in credentials.chain],
        "x5t#S256": _b64url(hashlib.sha256(_der(leaf)).digest()),
    }
    protected = _b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signature = _sign(credentials.key, protected.encode("ascii") + b"." + payload)
    return {
        "payload": text,
        "signatures": [{"protected": protected, "header": {}, "signature": _b64url(signature)}],
    }


def is_jades(document: Any) -> bool:
    """True when ``document`` has the shape of an enveloping JWS in JSON serialisation."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("payload"), str)
        and isinstance(document.get("signatures"), list)
    )


def verify(
    sealed: dict[str, Any], roots: list[x509.Certificate], *, now: datetime | None = None
) -> JadesVerification:
    """Return what checking the (single) seal on ``sealed`` finds; raises `JadesError` when the
    file is not a JAdES seal at all."""
    if not is_jades(sealed):
        raise JadesError("not a JWS in JSON serialisation: expected 'payload' and 'signatures'")
    signatures = sealed["signatures"]
    if len(signatures) != 1 or not isinstance(signatures[0], dict):
        raise JadesError(f"expected exactly one seal, found {len(signatures)}")
    entry = signatures[0]
    protected_text = entry.get("protected")
    if not isinstance(protected_text, str):
        raise JadesError("the seal has no protected header")
    header = _decode_header(protected_text)
    problem = _header_problem(header)
    if problem:
        return JadesVerification(False, False, problem)
    try:
        chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in header["x5c"]]
    except (ValueError, binascii.Error, TypeError) as error:
        return JadesVerification(False, False, f"x5c holds an unreadable certificate: {error}")
    leaf = chain[0]
    algorithm = header["alg"]
    facts: dict[str, Any] = {
        "algorithm": algorithm,
        "sealer": leaf.subject.rfc4514_string(),
        "organisation_identifier": organisation_identifier(leaf),
        "qualified": claims_qualified_seal(leaf),
        "chain": [c.subject.rfc4514_string() for c in chain],
    }
    thumbprint = header.get("x5t#S256")
    if thumbprint is not None and thumbprint != _b64url(hashlib.sha256(_der(leaf)).digest()):
        return JadesVerification(False, False, "x5t#S256 does not match the certificate", **facts)
    signing_time = _signing_time(header.get("sigT"))
    if signing_time is None:
        return JadesVerification(
            False, False, "sigT is not a UTC time such as 2025-03-01T09:30:00Z"
        )
    facts["signing_time"] = signing_time
    signing_input = protected_text.encode("ascii") + b"." + sealed["payload"].encode("utf-8")
    try:
        signature = _b64url_decode(str(entry.get("signature", "")))
        _verify_signature(leaf, algorithm, signature, signing_input)
    except (InvalidSignature, ValueError, binascii.Error):
        return JadesVerification(
            False, False, "the signature does not match the payload (changed or forged)", **facts
        )
    if now is not None and signing_time > now:
        return JadesVerification(True, False, f"sigT {header['sigT']} lies in the future", **facts)
    untrusted = chain_problem(chain, roots, signing_time)
    if untrusted:
        return JadesVerification(True, False, untrusted, **facts)
    return JadesVerification(True, True, "ok", **facts)


def payload_of(sealed: dict[str, Any]) -> str:
    """Return the payload text of a sealed file (unverified)."""
    if not is_jades(sealed):
        raise JadesError("not a JWS in JSON serialisation: expected 'payload' and 'signatures'")
    return str(sealed["payload"])


def issuer_serial(certificate: x509.Certificate) -> str:
    """Return base64 of the DER IssuerSerial (RFC 5035) naming ``certificate``: JAdES's kid."""
    name = certificate.issuer.public_bytes()
    general_names = _der_tlv(0x30, _der_tlv(0xA4, name))  # GeneralNames { directoryName }
    serial = certificate.serial_number
    serial_bytes = serial.to_bytes(serial.bit_length() // 8 + 1, "big")
    issuer_and_serial = _der_tlv(0x30, general_names + _der_tlv(0x02, serial_bytes))
    return base64.b64encode(issuer_and_serial).decode("ascii")


def _header_problem(header: dict[str, Any]) -> str | None:
    if header.get("alg") not in ALGORITHMS:
        return f"alg must be one of {', '.join(ALGORITHMS)}, not {header.get('alg')!r}"
    if header.get("b64") is not False:
        return "the protected header must say b64: false (an unencoded payload)"
    critical = header.get("crit")
    if not isinstance(critical, list) or not {"b64", "sigT"} <= set(critical):
        return "crit must list b64 and sigT"
    unknown = [name for name in critical if name not in UNDERSTOOD_CRITICAL]
    if unknown:
        return f"crit names header parameters this verifier does not understand: {unknown}"
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        return "x5c must list the seal certificate chain (base64 DER), the seal certificate first"
    return None


def _decode_header(text: str) -> dict[str, Any]:
    try:
        header = json.loads(_b64url_decode(text))
    except (ValueError, binascii.Error) as error:
        raise JadesError("the protected header is not base64url-encoded JSON") from error
    if not isinstance(header, dict):
        raise JadesError("the protected header is not a JSON object")
    return header


def _signing_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        return None


def _algorithm_for(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise JadesError(f"no JAdES algorithm here for EC curve {key.curve.name}; use RSA or P-256")


def _sign(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JWS wants r || s, not DER


def _verify_signature(
    certificate: x509.Certificate, algorithm: str, signature: bytes, data: bytes
) -> None:
    public_key = certificate.public_key()
    if algorithm == "RS256" and isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        return
    if algorithm == "ES256" and isinstance(public_key, ec.EllipticCurvePublicKey):
        if len(signature) != 64:
            raise InvalidSignature()
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public_key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        return
    raise InvalidSignature()  # the algorithm does not fit the certificate's key


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _der_tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
