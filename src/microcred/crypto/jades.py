"""JAdES seals (ETSI TS 119 182-1) as EDC uses them: enveloping, JWS JSON serialisation.

microcred seals with an unencoded payload (``b64: false``, RFC 7797), so the sealed file carries
the credential's JSON text as it is and the signature covers exactly those bytes:
``ASCII(BASE64URL(protected)) || "." || payload``. The protected header names the algorithm
(RS256 for RSA seal keys, ES256 for P-256), the certificate chain (``x5c``) and its
SHA-256 thumbprint (``x5t#S256``), ``kid`` (the base64 DER IssuerSerial of the seal
certificate, as the standard asks) and the claimed signing time ``sigT``; ``crit`` lists
``b64`` and ``sigT``, and ``adoTst`` when a content time-stamp is added.

Verification first checks the signature with the certificate the header names, then whether
the header's critical members are understood and hold (`jades_header`), then any time-stamps,
then whether the sealer is trusted: its chain leads to the trust store and was valid at the
time judged (a trusted signature time-stamp's time, else the time of verifying).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
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

from microcred.crypto import jades_header, jades_long_term, rfc3161
from microcred.crypto.revocation import RevocationFinding
from microcred.crypto.x509_chain import chain_problem
from microcred.crypto.x509_seal import (
    SealCredentials,
    claims_qualified_seal,
    organisation_identifier,
)

# alg → (key type, hash, RSA padding or None for ECDSA, ECDSA coordinate size in bytes)
ALGORITHMS: dict[str, tuple[str, type[hashes.HashAlgorithm], str, int]] = {
    "RS256": ("RSA", hashes.SHA256, "pkcs1", 0),
    "RS384": ("RSA", hashes.SHA384, "pkcs1", 0),
    "RS512": ("RSA", hashes.SHA512, "pkcs1", 0),
    "PS256": ("RSA", hashes.SHA256, "pss", 0),
    "PS384": ("RSA", hashes.SHA384, "pss", 0),
    "PS512": ("RSA", hashes.SHA512, "pss", 0),
    "ES256": ("EC", hashes.SHA256, "", 32),
    "ES384": ("EC", hashes.SHA384, "", 48),
    "ES512": ("EC", hashes.SHA512, "", 66),
}
Timestamper = Callable[[bytes], bytes]  # data → DER RFC 3161 TimeStampToken over it


class JadesError(ValueError):
    """A seal cannot be made, or a sealed file cannot be read as JAdES; the message says why."""


@dataclass(frozen=True)
class TimestampFinding:
    """What one time-stamp of a seal says and whether it holds."""

    kind: str  # "content" (adoTst) or "signature" (etsiU sigTst)
    time: datetime | None
    authority: str | None
    trusted: bool
    problem: str | None  # why the authority is not trusted; None when it is


@dataclass(frozen=True)
class JadesVerification:
    """What checking one JAdES seal found."""

    seal_intact: bool
    sealer_trusted: bool
    reason: str  # why the seal is broken, or why the sealer is not trusted, or "ok"
    signature_valid: bool = False  # the signature verifies, whatever the header says
    signing_time: datetime | None = None
    algorithm: str | None = None
    sealer: str | None = None  # the seal certificate's subject
    organisation_identifier: str | None = None
    qualified: bool = False  # the certificate *claims* to be a qualified e-seal certificate
    chain: list[str] = field(default_factory=list)
    timestamps: list[TimestampFinding] = field(default_factory=list)
    judged_at: datetime | None = None  # the moment the certificates' validity was judged at
    level: str | None = None  # the baseline level reached: B-B ... B-LTA (None when unreadable)
    revocation: list[RevocationFinding] = field(default_factory=list)  # from the seal's rVals
    archive_time: datetime | None = None  # a trusted archive time-stamp's (B-LTA)


def seal(
    payload: bytes,
    credentials: SealCredentials,
    signing_time: datetime,
    *,
    timestamper: Timestamper | None = None,
) -> dict[str, Any]:
    """Return the JAdES enveloping seal of ``payload`` (JWS JSON serialisation); with a
    ``timestamper``, the header carries its content time-stamp (``adoTst``) over ``payload``."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JadesError("the payload must be UTF-8 text (the credential's JSON)") from error
    algorithm = _algorithm_for(credentials.key)
    leaf = credentials.certificate
    header: dict[str, Any] = {
        "alg": algorithm,
        "b64": False,
        "crit": ["b64", "sigT"],
        "cty": "json",
        "kid": issuer_serial(leaf),
        "sigT": signing_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x5c": [base64.b64encode(_der(c)).decode("ascii") for c in credentials.chain],
        "x5t#S256": jades_header.b64url(_sha256(_der(leaf))),
    }
    if timestamper is not None:
        token = base64.b64encode(timestamper(payload)).decode("ascii")
        header["adoTst"] = {"tstTokens": [{"val": token}]}
        header["crit"].append("adoTst")
    protected = jades_header.b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signature = _sign(credentials.key, protected.encode("ascii") + b"." + payload)
    return {
        "payload": text,
        "signatures": [
            {"protected": protected, "header": {}, "signature": jades_header.b64url(signature)}
        ],
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
    entry, protected_text, header = _single_seal(sealed)
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        return JadesVerification(
            False, False, f"alg must be one of {', '.join(ALGORITHMS)}, not {algorithm!r}"
        )
    try:
        chain = _chain(header.get("x5c"))
    except ValueError as error:
        return JadesVerification(False, False, str(error))
    leaf = chain[0]
    facts: dict[str, Any] = {
        "algorithm": algorithm,
        "sealer": leaf.subject.rfc4514_string(),
        "organisation_identifier": organisation_identifier(leaf),
        "qualified": claims_qualified_seal(leaf),
        "chain": [c.subject.rfc4514_string() for c in chain],
    }
    payload = _payload_bytes(sealed["payload"], header)
    if payload is None:
        return JadesVerification(False, False, "the payload is not base64url text", **facts)
    # The signing input carries the payload as the file does (RFC 7515, RFC 7797).
    signing_input = protected_text.encode("ascii") + b"." + sealed["payload"].encode("utf-8")
    if not _signature_verifies(leaf, algorithm, entry.get("signature"), signing_input):
        return JadesVerification(
            False, False, "the signature does not match the payload (changed or forged)", **facts
        )
    facts["signature_valid"] = True
    problem = jades_header.header_problem(header, chain)
    if problem:
        return JadesVerification(False, False, f"the signature verifies, but {problem}", **facts)
    signing_time = _signing_time(header.get("sigT"))
    if signing_time is None:
        reason = "the signature verifies, but sigT is not a UTC time such as 2025-03-01T09:30:00Z"
        return JadesVerification(False, False, reason, **facts)
    facts["signing_time"] = signing_time
    try:
        facts["timestamps"] = _timestamps(entry, header, payload, roots)
    except (ValueError, rfc3161.TimestampError) as error:
        return JadesVerification(False, False, f"the signature verifies, but {error}", **facts)
    facts["judged_at"] = judged_at = _judgement_time(facts["timestamps"], signing_time, now)
    long_term = jades_long_term.read_long_term(
        sealed["payload"],
        entry,
        chain,
        roots,
        signature_time_trusted=any(
            t.kind == "signature" and t.trusted for t in facts["timestamps"]
        ),
        judged_at=judged_at,
    )
    facts |= {
        "level": long_term.level,
        "revocation": long_term.revocation,
        "archive_time": long_term.archive_time,
    }
    if now is not None and signing_time > now:
        return JadesVerification(True, False, f"sigT {header['sigT']} lies in the future", **facts)
    untrusted = chain_problem(chain, roots, judged_at)
    if untrusted:
        return JadesVerification(True, False, untrusted, **facts)
    revoked = long_term.revoked
    if revoked is not None:
        reason = f"{revoked.certificate} was revoked by then ({revoked.source})"
        return JadesVerification(True, False, reason, **facts)
    return JadesVerification(True, True, "ok", **facts)


def payload_of(sealed: dict[str, Any]) -> str:
    """Return the payload text of a sealed file (unverified), base64url-decoded when the
    header does not say ``b64: false``."""
    _, _, header = _single_seal(sealed)
    payload = _payload_bytes(sealed["payload"], header)
    if payload is None:
        raise JadesError("the payload is not base64url text")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JadesError("the payload is not UTF-8 text") from error


def issuer_serial(certificate: x509.Certificate) -> str:
    """Return base64 of the DER IssuerSerial (RFC 5035) naming ``certificate``: JAdES's kid."""
    name = certificate.issuer.public_bytes()
    general_names = _der_tlv(0x30, _der_tlv(0xA4, name))  # GeneralNames { directoryName }
    serial = certificate.serial_number
    serial_bytes = serial.to_bytes(serial.bit_length() // 8 + 1, "big")
    issuer_and_serial = _der_tlv(0x30, general_names + _der_tlv(0x02, serial_bytes))
    return base64.b64encode(issuer_and_serial).decode("ascii")


def _single_seal(sealed: Any) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Return (signature entry, protected header text, protected header) of the one seal."""
    if not is_jades(sealed):
        raise JadesError("not a JWS in JSON serialisation: expected 'payload' and 'signatures'")
    signatures = sealed["signatures"]
    if len(signatures) != 1 or not isinstance(signatures[0], dict):
        raise JadesError(f"expected exactly one seal, found {len(signatures)}")
    entry = signatures[0]
    protected_text = entry.get("protected")
    if not isinstance(protected_text, str):
        raise JadesError("the seal has no protected header")
    try:
        protected_text.encode("ascii")
        header = json.loads(jades_header.decode_base64(protected_text))
    except (ValueError, UnicodeError, RecursionError) as error:
        raise JadesError("the protected header is not base64url-encoded JSON") from error
    if not isinstance(header, dict):
        raise JadesError("the protected header is not a JSON object")
    return entry, protected_text, header


def _chain(x5c: Any) -> list[x509.Certificate]:
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        raise ValueError(
            "x5c must list the seal certificate chain (base64 DER), the seal certificate first"
        )
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(c)) for c in x5c]
    except (ValueError, binascii.Error) as error:
        raise ValueError(f"x5c holds an unreadable certificate: {error}") from error


def _payload_bytes(payload: str, header: dict[str, Any]) -> bytes | None:
    """Return the sealed data: the payload as it is with ``b64: false``, else decoded."""
    if header.get("b64") is False:
        return payload.encode("utf-8")
    try:
        return base64.urlsafe_b64decode(payload.encode("ascii") + b"=" * (-len(payload) % 4))
    except (ValueError, UnicodeError, binascii.Error):
        return None


def _timestamps(
    entry: dict[str, Any], header: dict[str, Any], payload: bytes, roots: list[x509.Certificate]
) -> list[TimestampFinding]:
    """Return the seal's time-stamps; raises when the signed content time-stamp does not hold.

    The content time-stamp covers the data the signature covers (TS 119 182-1, adoTst): the
    payload as it is with ``b64: false``, else its base64url form. A signature time-stamp
    covers the base64url signature value.
    """
    covered = payload if header.get("b64") is False else jades_header.b64url(payload).encode()
    found = [
        _timestamp("content", token, covered, roots)
        for token in jades_header.content_timestamp_tokens(header)
    ]
    signature = str(entry.get("signature", "")).encode("ascii", "replace")
    try:
        tokens = jades_header.signature_timestamp_tokens(entry.get("header"))
    except ValueError as error:  # the unsigned header is set aside, never fatal
        return [*found, TimestampFinding("signature", None, None, False, f"etsiU: {error}")]
    return found + [_timestamp("signature", token, signature, roots) for token in tokens]


def _timestamp(
    kind: str, token: bytes, data: bytes, roots: list[x509.Certificate]
) -> TimestampFinding:
    try:
        stamp = rfc3161.verify_token(token, data)
    except rfc3161.TimestampError as error:
        if kind == "content":  # signed by the sealer: a false one makes the seal unacceptable
            raise rfc3161.TimestampError(f"the adoTst time-stamp does not hold: {error}") from error
        # Unsigned (etsiU): anyone could have changed it, so it is set aside, never fatal.
        return TimestampFinding(kind, None, None, False, f"the sigTst does not hold: {error}")
    problem = chain_problem(stamp.chain, roots, stamp.time, purpose="timestamping")
    authority = stamp.authority.subject.rfc4514_string()
    return TimestampFinding(kind, stamp.time, authority, problem is None, problem)


def _judgement_time(
    found: list[TimestampFinding], signing_time: datetime, now: datetime | None
) -> datetime:
    """Return the time the seal certificate must have been valid at: the earliest trusted
    signature time-stamp's (a proof the seal existed then), else the time of verifying.

    A content time-stamp (adoTst) only proves the data existed before the seal was made, and
    sigT is what the sealer claims, so neither may stand in for a proof of existence; sigT is
    used only when the caller gives no time of verifying.
    """
    times = [t.time for t in found if t.kind == "signature" and t.trusted and t.time is not None]
    if times:
        return min(times)
    return now if now is not None else signing_time


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


def _signature_verifies(
    certificate: x509.Certificate, algorithm: str, encoded: Any, data: bytes
) -> bool:
    kind, digest, scheme, size = ALGORITHMS[algorithm]
    public_key = certificate.public_key()
    try:
        signature = jades_header.decode_base64(str(encoded))
        if kind == "RSA" and isinstance(public_key, rsa.RSAPublicKey):
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15()
                if scheme == "pkcs1"
                else padding.PSS(padding.MGF1(digest()), padding.PSS.DIGEST_LENGTH)
            )
            public_key.verify(signature, data, pad, digest())
            return True
        if kind == "EC" and isinstance(public_key, ec.EllipticCurvePublicKey):
            if len(signature) != 2 * size or (public_key.curve.key_size + 7) // 8 != size:
                return False  # the signature's length, or the key's curve, is not the alg's
            der = encode_dss_signature(
                int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
            )
            public_key.verify(der, data, ec.ECDSA(digest()))
            return True
    except (InvalidSignature, ValueError):
        return False
    return False  # the algorithm does not fit the certificate's key


def _sha256(data: bytes) -> bytes:
    hasher = hashes.Hash(hashes.SHA256())
    hasher.update(data)
    return hasher.finalize()


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _der_tlv(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes([tag, length]) + content
    size = (length.bit_length() + 7) // 8
    return bytes([tag, 0x80 | size]) + length.to_bytes(size, "big") + content
