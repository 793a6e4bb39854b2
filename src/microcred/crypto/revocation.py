"""Revocation information for a certificate: fetched at sealing time, judged at verifying time.

A seal raised to B-LT carries, for each certificate of its chain below the root, an OCSP
response (RFC 6960) or a CRL (RFC 5280) its issuer signed. `gather` asks the OCSP responder the
certificate's Authority Information Access names (POST under the fetch policy), else fetches
the CRL its distribution point names. `judge` reads what a seal carries, offline: an answer
counts only when the certificate's issuer (or an OCSP responder it delegated to) signed it and
it was produced no earlier than the time the seal is judged at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from microcred.crypto.x509_chain import issued_by
from microcred.net import FetchPolicy, FetchRefused, fetch

MAX_ANSWER_BYTES = 256 * 1024


@dataclass(frozen=True)
class RevocationData:
    """The DER OCSP responses and CRLs gathered for a chain."""

    ocsp: list[bytes]
    crls: list[bytes]


@dataclass(frozen=True)
class RevocationFinding:
    """What the carried revocation information says about one certificate."""

    certificate: str
    status: str  # "good", "revoked" or "unknown" (nothing usable was carried)
    source: str  # which answer said so, for the report


def gather(chain: list[x509.Certificate], *, policy: FetchPolicy | None = None) -> RevocationData:
    """Return an OCSP response, else a CRL, for each certificate of ``chain`` below its top;
    a certificate with neither reachable is left out (`judge` will say "unknown")."""
    found = RevocationData([], [])
    for certificate, issuer in zip(chain, chain[1:], strict=False):
        answer = _ocsp_answer(certificate, issuer, policy)
        if answer is not None:
            found.ocsp.append(answer)
            continue
        crl = _crl(certificate, policy)
        if crl is not None:
            found.crls.append(crl)
    return found


def judge(
    certificate: x509.Certificate, issuer: x509.Certificate, data: RevocationData, at: datetime
) -> RevocationFinding:
    """Return the status of ``certificate`` at ``at`` from the answers in ``data``."""
    name = certificate.subject.rfc4514_string()
    for der in data.ocsp:
        finding = _from_ocsp(certificate, issuer, der, at)
        if finding is not None:
            return RevocationFinding(name, *finding)
    for der in data.crls:
        finding = _from_crl(certificate, issuer, der, at)
        if finding is not None:
            return RevocationFinding(name, *finding)
    return RevocationFinding(name, "unknown", "no OCSP response or CRL of its issuer covers it")


def _ocsp_answer(
    certificate: x509.Certificate, issuer: x509.Certificate, policy: FetchPolicy | None
) -> bytes | None:
    urls = _access_locations(certificate, AuthorityInformationAccessOID.OCSP)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(certificate, issuer, hashes.SHA256())
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    for url in urls:
        try:
            body = fetch(
                url,
                accept="application/ocsp-response",
                max_bytes=MAX_ANSWER_BYTES,
                policy=policy,
                post=(request, "application/ocsp-request"),
            ).body
            answer = ocsp.load_der_ocsp_response(body)
        except (FetchRefused, ValueError):
            continue
        if answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL:
            return body
    return None


def _crl(certificate: x509.Certificate, policy: FetchPolicy | None) -> bytes | None:
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return None
    for point in points:
        for name in point.full_name or []:
            if isinstance(name, x509.UniformResourceIdentifier):
                try:
                    body = fetch(name.value, max_bytes=MAX_ANSWER_BYTES, policy=policy).body
                    x509.load_der_x509_crl(body)
                except (FetchRefused, ValueError):
                    continue
                return body
    return None


def _from_ocsp(
    certificate: x509.Certificate, issuer: x509.Certificate, der: bytes, at: datetime
) -> tuple[str, str] | None:
    try:
        answer = ocsp.load_der_ocsp_response(der)
        if answer.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return None
        if answer.serial_number != certificate.serial_number:
            return None
        if answer.issuer_key_hash != _key_hash(issuer, answer.hash_algorithm):
            return None
    except ValueError:
        return None
    responder = _ocsp_responder(answer, issuer)
    if responder is None or answer.produced_at_utc < _whole_second(at):
        return None
    source = (
        f"OCSP response by {responder.subject.rfc4514_string()}, "
        f"produced {answer.produced_at_utc.isoformat()}"
    )
    if answer.certificate_status == ocsp.OCSPCertStatus.REVOKED:
        revoked = answer.revocation_time_utc
        if revoked is not None and revoked > at:
            return "good", f"{source} (revoked only at {revoked.isoformat()}, after)"
        return "revoked", source
    if answer.certificate_status == ocsp.OCSPCertStatus.GOOD:
        return "good", source
    return None


def _ocsp_responder(answer: ocsp.OCSPResponse, issuer: x509.Certificate) -> x509.Certificate | None:
    """Return the certificate whose key signed ``answer``: the issuer itself, or a responder
    it issued for OCSP signing; None when neither did."""
    for candidate in [issuer, *answer.certificates]:
        delegated = candidate is not issuer
        if delegated and not (issued_by(candidate, issuer) and _signs_ocsp(candidate)):
            continue
        if _signature_holds(candidate, answer.signature, answer.tbs_response_bytes, answer):
            return candidate
    return None


def _from_crl(
    certificate: x509.Certificate, issuer: x509.Certificate, der: bytes, at: datetime
) -> tuple[str, str] | None:
    try:
        crl = x509.load_der_x509_crl(der)
    except ValueError:
        return None
    if crl.issuer != issuer.subject or not _crl_signed_by(crl, issuer):
        return None
    if crl.last_update_utc < _whole_second(at):
        return None
    source = f"CRL by {issuer.subject.rfc4514_string()}, issued {crl.last_update_utc.isoformat()}"
    entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
    if entry is None:
        return "good", source
    if entry.revocation_date_utc > at:
        return "good", f"{source} (revoked only at {entry.revocation_date_utc.isoformat()}, after)"
    return "revoked", source


def _whole_second(at: datetime) -> datetime:
    """Return ``at`` without its fraction of a second: OCSP and CRL times carry none (RFC 5280
    §4.1.2.5.2), so an answer produced in the same second as a time-stamp with a fraction is
    not earlier than it."""
    return at.replace(microsecond=0)


def _crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    key = issuer.public_key()
    return isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey) and (
        crl.is_signature_valid(key)
    )


def _signature_holds(
    signer: x509.Certificate, signature: bytes, data: bytes, answer: ocsp.OCSPResponse
) -> bool:
    key = signer.public_key()
    digest = answer.signature_hash_algorithm
    if digest is None:
        return False
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _signs_ocsp(certificate: x509.Certificate) -> bool:
    try:
        usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.OCSP_SIGNING in usages


def _key_hash(issuer: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    key = issuer.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # The hash covers the subjectPublicKey BIT STRING's value, not the whole SubjectPublicKeyInfo.
    value = keys.PublicKeyInfo.load(key)["public_key"].contents[1:]
    hasher = hashes.Hash(algorithm)
    hasher.update(value)
    return hasher.finalize()


def _access_locations(certificate: x509.Certificate, method: x509.ObjectIdentifier) -> list[str]:
    try:
        access = certificate.extensions.get_extension_for_class(
            x509.AuthorityInformationAccess
        ).value
    except x509.ExtensionNotFound:
        return []
    return [
        d.access_location.value
        for d in access
        if d.access_method == method
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    ]
