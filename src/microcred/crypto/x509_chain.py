"""Certificate paths: whether a chain of X.509 certificates may be relied on at a given moment.

A path runs from the end certificate (a seal certificate, or a time-stamping authority's) through
its issuers to a certificate of the trust store. Every link is checked as RFC 5280 asks of a path
whose policy and revocation are not evaluated: each certificate was issued (signed) by the next and
was valid at the moment judged; every issuer is a CA (BasicConstraints cA) allowed to sign
certificates (KeyUsage keyCertSign) within its path length; the end certificate's key usages fit
its purpose. Name constraints and critical extensions this code does not evaluate make the path
refused rather than silently accepted.

``cryptography.x509.verification`` (its path builder) is not used here: its end-certificate
defaults are the web PKI's (an authority key identifier and a subjectAltName are required, which
e-seal certificates need not carry), it has no key-usage rule for sealing, and a verdict must
name the rule and the certificate that broke it. The tests hold both to the same verdicts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, ObjectIdentifier

Purpose = Literal["seal", "timestamping"]
ExtensionValue = TypeVar("ExtensionValue", bound=x509.ExtensionType)

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # RFC 9336
MICROSOFT_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")
ADOBE_AUTHENTIC_DOCUMENTS = ObjectIdentifier("1.2.840.113583.1.1.5")
# Extended key usages under which a key may seal a document.
SEALING_USAGES = {
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
    ExtendedKeyUsageOID.EMAIL_PROTECTION,
    DOCUMENT_SIGNING,
    MICROSOFT_DOCUMENT_SIGNING,
    ADOBE_AUTHENTIC_DOCUMENTS,
}
# Critical extensions whose meaning is evaluated here (or has no bearing on a seal's path).
EVALUATED = {
    ExtensionOID.BASIC_CONSTRAINTS,
    ExtensionOID.KEY_USAGE,
    ExtensionOID.EXTENDED_KEY_USAGE,
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
    ExtensionOID.CERTIFICATE_POLICIES,
    ExtensionOID.SUBJECT_KEY_IDENTIFIER,
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
}


def chain_problem(
    chain: list[x509.Certificate],
    roots: list[x509.Certificate],
    at: datetime,
    *,
    purpose: Purpose = "seal",
) -> str | None:
    """Say why ``chain`` (end certificate first) is not to be relied on at ``at``; None if not."""
    if not chain:
        return "the certificate chain is empty"
    for child, parent in zip(chain, chain[1:], strict=False):
        if not issued_by(child, parent):
            return f"{_name(child)} was not issued by the next certificate"
    top = chain[-1]
    anchor = next((root for root in roots if same(top, root)), None)
    path = list(chain)
    if anchor is None:
        anchor = next((root for root in roots if issued_by(top, root)), None)
        if anchor is None:
            return f"the chain ends at {_name(top)}, which no root of the trust store is or issued"
        path.append(anchor)
    for certificate in path:
        problem = _validity_problem(certificate, at) or _extension_problem(certificate)
        if problem:
            return problem
    problem = _end_usage_problem(path[0], purpose)
    if problem:
        return problem
    for index, issuer in enumerate(path[1:], start=1):
        problem = _issuer_problem(issuer, path[1:index])
        if problem:
            return problem
    return None


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """True when ``parent``'s key signed ``child`` and names match."""
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def order_chain(leaf: x509.Certificate, others: list[x509.Certificate]) -> list[x509.Certificate]:
    """Return the certificates above ``leaf``, each the issuer of the one before."""
    chain: list[x509.Certificate] = []
    current, remaining = leaf, list(others)
    while True:
        parent = next((c for c in remaining if issued_by(current, c)), None)
        if parent is None or parent is current:
            return chain
        chain.append(parent)
        remaining.remove(parent)
        current = parent


def distinct(certificates: list[x509.Certificate]) -> list[x509.Certificate]:
    """Return ``certificates`` without repeats, in the order first seen."""
    found: list[x509.Certificate] = []
    for certificate in certificates:
        if certificate not in found:
            found.append(certificate)
    return found


def same(one: x509.Certificate, other: x509.Certificate) -> bool:
    """True when both are the very same certificate (same DER)."""
    return one.fingerprint(hashes.SHA256()) == other.fingerprint(hashes.SHA256())


def _validity_problem(certificate: x509.Certificate, at: datetime) -> str | None:
    if certificate.not_valid_before_utc <= at <= certificate.not_valid_after_utc:
        return None
    return (
        f"the certificate {_name(certificate)} was not valid at {at.isoformat()} (valid "
        f"{certificate.not_valid_before_utc.isoformat()} to "
        f"{certificate.not_valid_after_utc.isoformat()})"
    )


def _extension_problem(certificate: x509.Certificate) -> str | None:
    try:
        extensions = list(certificate.extensions)
    except ValueError as error:  # a duplicate or malformed extension
        return f"the certificate {_name(certificate)} has an unreadable extension: {error}"
    for extension in extensions:
        if extension.oid == ExtensionOID.NAME_CONSTRAINTS:
            return (
                f"the certificate {_name(certificate)} carries name constraints, which this "
                "verifier does not evaluate"
            )
        if extension.critical and extension.oid not in EVALUATED:
            return (
                f"the certificate {_name(certificate)} has a critical extension this verifier "
                f"does not evaluate ({extension.oid.dotted_string})"
            )
    return None


def _end_usage_problem(certificate: x509.Certificate, purpose: Purpose) -> str | None:
    usage = _extension(certificate, x509.KeyUsage)
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        return (
            f"the certificate {_name(certificate)} may not sign: its KeyUsage has neither "
            "digitalSignature nor nonRepudiation"
        )
    extended = _extension(certificate, x509.ExtendedKeyUsage)
    if purpose == "timestamping":
        if extended is None or ExtendedKeyUsageOID.TIME_STAMPING not in extended:
            return f"the certificate {_name(certificate)} is not a time-stamping certificate"
        return None
    if extended is not None and not SEALING_USAGES & set(extended):
        names = ", ".join(oid.dotted_string for oid in extended)
        return (
            f"the certificate {_name(certificate)} is restricted to other purposes ({names}) "
            "and may not seal documents"
        )
    return None


def _issuer_problem(issuer: x509.Certificate, below: list[x509.Certificate]) -> str | None:
    """Say why ``issuer`` may not have issued the certificates under it (``below``: the CA
    certificates between it and the end certificate)."""
    constraints = _extension(issuer, x509.BasicConstraints)
    if constraints is None or not constraints.ca:
        return f"{_name(issuer)} issued a certificate but is not a CA (BasicConstraints cA)"
    usage = _extension(issuer, x509.KeyUsage)
    if usage is None or not usage.key_cert_sign:
        return f"the CA {_name(issuer)} may not sign certificates (KeyUsage keyCertSign)"
    intermediates = sum(1 for certificate in below if not _self_issued(certificate))
    if constraints.path_length is not None and intermediates > constraints.path_length:
        return (
            f"the CA {_name(issuer)} allows {constraints.path_length} CA certificate(s) below "
            f"it (path length), but the chain has {intermediates}"
        )
    return None


def _extension(certificate: x509.Certificate, kind: type[ExtensionValue]) -> ExtensionValue | None:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _self_issued(certificate: x509.Certificate) -> bool:
    return certificate.subject == certificate.issuer


def _name(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()
