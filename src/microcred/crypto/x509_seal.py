"""E-seal certificates: read a PKCS#12, make a TEST one, check a chain, read QC statements.

An institution seals EDCs with an X.509 seal certificate and its key (RSA, or EC P-256).
The key is kept sealed under the key-encryption key like issuer keys, with its own
associated data so the two kinds of sealed blob can never be mistaken for each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID, ObjectIdentifier

from microcred.crypto.x509_chain import order_chain

SealKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

QC_STATEMENTS = ObjectIdentifier("1.3.6.1.5.5.7.1.3")
QC_COMPLIANCE = "0.4.0.1862.1.1"  # ETSI EN 319 412-5: an EU qualified certificate
QC_TYPE = "0.4.0.1862.1.6"
QC_TYPE_ESEAL = "0.4.0.1862.1.6.2"
ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
TEST_MARK = "microcred TEST seal — not qualified"

_MAGIC = b"MCS1"
_AAD = b"microcred sealed e-seal key v1"


class SealCertificateError(ValueError):
    """A seal certificate or its key cannot be used; the message says what to do."""


@dataclass(frozen=True)
class SealCredentials:
    """A seal key and its certificate chain, the seal certificate first."""

    key: SealKey
    chain: list[x509.Certificate]

    def __repr__(self) -> str:  # never show the key
        return f"SealCredentials(subject={self.certificate.subject.rfc4514_string()!r})"

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]


def load_pkcs12(data: bytes, password: str | None) -> SealCredentials:
    """Return the key and chain in a PKCS#12 (.p12/.pfx) file; raises `SealCertificateError`."""
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None
        )
    except ValueError as error:
        raise SealCertificateError(
            f"the PKCS#12 file cannot be opened ({error}); check the password"
        ) from error
    if certificate is None or key is None:
        raise SealCertificateError("the PKCS#12 file must hold a certificate and its private key")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SealCertificateError(f"a seal key must be RSA or EC, not {type(key).__name__}")
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name != "secp256r1":
        raise SealCertificateError(f"an EC seal key must be P-256, not {key.curve.name}")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    ours = key.public_key().public_bytes(serialization.Encoding.DER, public)
    if ours != certificate.public_key().public_bytes(serialization.Encoding.DER, public):
        raise SealCertificateError("the private key does not belong to the certificate")
    return SealCredentials(key, [certificate, *order_chain(certificate, list(extra))])


def create_test_seal(
    organisation: str,
    country_code: str,
    organisation_identifier: str,
    *,
    now: datetime | None = None,
    key_type: str = "RSA",
) -> tuple[SealCredentials, x509.Certificate]:
    """Return a TEST seal (key, chain) and the TEST root that issued it.

    Both certificates say "microcred TEST seal — not qualified" and carry no QC statements:
    they prove nothing about anyone and must never be trusted outside a demo or a test.
    """
    moment = now or datetime.now(UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{TEST_MARK} (root)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "microcred TEST"),
        ]
    )
    root = (
        _builder(root_name, root_name, root_key.public_key(), moment, years=10)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key: SealKey = (
        ec.generate_private_key(ec.SECP256R1())
        if key_type == "EC"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, TEST_MARK),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(ORGANIZATION_IDENTIFIER, organisation_identifier),
            x509.NameAttribute(NameOID.COUNTRY_NAME, country_code),
        ]
    )
    leaf = (
        _builder(subject, root_name, key.public_key(), moment, years=2)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    return SealCredentials(key, [leaf, root]), root


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
    moment: datetime,
    *,
    years: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - timedelta(minutes=5))
        .not_valid_after(moment + timedelta(days=365 * years))
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,  # non-repudiation, as seal certificates state
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


# --- what a certificate claims ---


def organisation_identifier(certificate: x509.Certificate) -> str | None:
    """Return the subject's organizationIdentifier (eIDAS legal identifier, e.g. VATDE-...)."""
    values = certificate.subject.get_attributes_for_oid(ORGANIZATION_IDENTIFIER)
    return str(values[0].value) if values else None


def subject_field(certificate: x509.Certificate, oid: ObjectIdentifier) -> str | None:
    values = certificate.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def qc_statements(certificate: x509.Certificate) -> list[str]:
    """Return the statement ids (and QC types) in the certificate's QC statements extension."""
    try:
        extension = certificate.extensions.get_extension_for_oid(QC_STATEMENTS)
    except x509.ExtensionNotFound:
        return []
    value = extension.value
    raw = value.value if isinstance(value, x509.UnrecognizedExtension) else b""
    found: list[str] = []
    try:
        for statement in _der_items(_der_content(raw, 0x30)):
            parts = _der_items(_der_content(statement, 0x30))
            statement_id = _der_oid(parts[0])
            found.append(statement_id)
            if statement_id == QC_TYPE and len(parts) > 1:
                found += [_der_oid(item) for item in _der_items(_der_content(parts[1], 0x30))]
    except (IndexError, ValueError):
        return found  # a malformed extension claims nothing beyond what was read
    return found


def claims_qualified_seal(certificate: x509.Certificate) -> bool:
    """True when the certificate claims to be an EU qualified certificate for electronic seals."""
    statements = qc_statements(certificate)
    return QC_COMPLIANCE in statements and QC_TYPE_ESEAL in statements


# --- chains and trust ---


def load_trust_roots(folder: str | Path) -> list[x509.Certificate]:
    """Return every certificate in the PEM files (*.pem, *.crt) of a folder."""
    path = Path(folder)
    if not path.is_dir():
        raise SealCertificateError(f"the seal trust store {path} is not a folder")
    roots: list[x509.Certificate] = []
    for file in sorted([*path.glob("*.pem"), *path.glob("*.crt")]):
        try:
            roots += x509.load_pem_x509_certificates(file.read_bytes())
        except ValueError as error:
            raise SealCertificateError(f"{file} is not a PEM certificate file: {error}") from error
    return roots


# --- the key at rest ---


def seal_key(key: SealKey, kek: bytes) -> bytes:
    """Return the seal key encrypted under ``kek`` (AES-256-GCM over its PKCS#8 DER)."""
    _check_kek(kek)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    nonce = os.urandom(12)
    return _MAGIC + nonce + AESGCM(kek).encrypt(nonce, der, _AAD)


def open_key(blob: bytes, kek: bytes) -> SealKey:
    """Return the seal key in ``blob``; raises `SealCertificateError` on a wrong KEK or damage."""
    _check_kek(kek)
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 12 + 16:
        raise SealCertificateError("not a sealed microcred e-seal key")
    nonce = blob[len(_MAGIC) : len(_MAGIC) + 12]
    try:
        der = AESGCM(kek).decrypt(nonce, blob[len(_MAGIC) + 12 :], _AAD)
    except InvalidTag as error:
        raise SealCertificateError(
            "the sealed e-seal key does not open with this KEK (wrong KEK or damaged blob)"
        ) from error
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SealCertificateError("the sealed e-seal key is neither RSA nor EC")
    return key


def _check_kek(kek: bytes) -> None:
    if len(kek) != 32:
        raise SealCertificateError(f"the key-encryption key must be 32 bytes, got {len(kek)}")


# --- the little DER reading the QC statements need ---


def _der_read(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """Return (tag, content, next offset) of the DER element at ``offset``."""
    tag = data[offset]
    length = data[offset + 1]
    offset += 2
    if length & 0x80:
        size = length & 0x7F
        if size == 0 or size > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[offset : offset + size], "big")
        offset += size
    if offset + length > len(data):
        raise ValueError("DER element runs past its container")
    return tag, data[offset : offset + length], offset + length


def _der_content(element: bytes, tag: int) -> bytes:
    found, content, _ = _der_read(element, 0)
    if found != tag:
        raise ValueError(f"expected DER tag {tag:#x}, got {found:#x}")
    return content


def _der_items(content: bytes) -> list[bytes]:
    """Return each whole element (tag, length, content) inside a constructed value."""
    items, offset = [], 0
    while offset < len(content):
        _, _, end = _der_read(content, offset)
        items.append(content[offset:end])
        offset = end
    return items


def _der_oid(element: bytes) -> str:
    body = _der_content(element, 0x06)
    first = body[0]
    numbers = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for byte in body[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            numbers.append(value)
            value = 0
    return ".".join(str(n) for n in numbers)
