"""JAdES seals and e-seal certificates: algorithms, headers, chains, QC statements, PKCS#12."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from seal_pki import Authority, seal_with_header

from microcred.crypto import jades
from microcred.crypto.x509_seal import (
    QC_STATEMENTS,
    SealCertificateError,
    claims_qualified_seal,
    create_test_seal,
    load_pkcs12,
    open_key,
    seal_key,
)

PAYLOAD = '{"name":"Ana Andromeda","note":"ä"}'.encode()


def protected_header(sealed: dict) -> dict:
    text = sealed["signatures"][0]["protected"]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def test_seal_carries_the_baseline_b_header_and_the_payload_unencoded(seal, root):
    sealed = jades.seal(PAYLOAD, seal, datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    header = protected_header(sealed)
    assert sealed["payload"] == PAYLOAD.decode()
    assert header["alg"] == "RS256" and header["b64"] is False
    assert header["crit"] == ["b64", "sigT"] and header["sigT"] == "2026-01-05T08:00:00Z"
    leaf_der = seal.certificate.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(header["x5c"][0]) == leaf_der
    assert set(header) >= {"x5t#S256", "kid"}


def test_ec_p256_seal_uses_es256_and_verifies():
    credentials, root = create_test_seal("Org", "DE", "VATDE-1", key_type="EC")
    sealed = jades.seal(PAYLOAD, credentials, datetime.now(UTC))
    assert protected_header(sealed)["alg"] == "ES256"
    found = jades.verify(sealed, [root])
    assert found.seal_intact and found.sealer_trusted


def test_signature_covers_the_protected_header_too(seal, root):
    sealed = jades.seal(PAYLOAD, seal, datetime.now(UTC))
    header = protected_header(sealed) | {"sigT": "2020-01-01T00:00:00Z"}
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    sealed["signatures"][0]["protected"] = encoded
    assert jades.verify(sealed, [root]).seal_intact is False


def test_seal_made_outside_the_certificate_validity_is_intact_but_not_trusted(seal, root):
    long_after = seal.certificate.not_valid_after_utc + timedelta(days=1)
    found = jades.verify(jades.seal(PAYLOAD, seal, long_after), [root])
    assert found.seal_intact and not found.sealer_trusted
    assert "not valid at" in found.reason


def test_header_without_sigt_is_refused_though_its_signature_verifies(seal, root):
    header = protected_header(jades.seal(PAYLOAD, seal, datetime.now(UTC)))
    del header["sigT"]
    header["crit"] = ["b64"]
    sealer = Authority(seal.key, seal.certificate)  # type: ignore[arg-type]
    found = jades.verify(seal_with_header(PAYLOAD, sealer, seal.chain, header), [root])
    assert found.signature_valid and not found.seal_intact
    assert "sigT is not a UTC time" in found.reason


def test_test_certificate_does_not_claim_to_be_qualified(seal):
    assert "TEST" in seal.certificate.subject.rfc4514_string()
    assert claims_qualified_seal(seal.certificate) is False


def test_qc_statements_with_compliance_and_eseal_type_claim_a_qualified_seal(seal):
    # QCStatements: QcCompliance, and QcType { id-etsi-qct-eseal } (ETSI EN 319 412-5)
    compliance = bytes.fromhex("3008" + "06060400" + "8e460101")
    qc_type = bytes.fromhex("3013" + "06060400" + "8e460106" + "3009" + "06070400" + "8e46010602")
    statements = bytes([0x30, len(compliance + qc_type)]) + compliance + qc_type
    root_key = seal.key
    builder = (
        x509.CertificateBuilder()
        .subject_name(seal.certificate.subject)
        .issuer_name(seal.certificate.subject)
        .public_key(seal.key.public_key())
        .serial_number(1)
        .not_valid_before(datetime.now(UTC))
        .not_valid_after(datetime.now(UTC) + timedelta(days=1))
        .add_extension(x509.UnrecognizedExtension(QC_STATEMENTS, statements), critical=False)
    )
    qualified = builder.sign(root_key, hashes.SHA256())
    assert claims_qualified_seal(qualified) is True


def test_pkcs12_round_trip_and_wrong_password(seal):
    data = pkcs12.serialize_key_and_certificates(
        b"seal",
        seal.key,
        seal.certificate,
        seal.chain[1:],
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    loaded = load_pkcs12(data, "s3cret")
    assert loaded.certificate == seal.certificate and loaded.chain == seal.chain
    with pytest.raises(SealCertificateError, match="password"):
        load_pkcs12(data, "wrong")


def test_sealed_key_opens_only_with_its_kek(seal):
    kek = bytes(range(32))
    blob = seal_key(seal.key, kek)
    assert open_key(blob, kek).private_numbers() == seal.key.private_numbers()
    with pytest.raises(SealCertificateError, match="KEK"):
        open_key(blob, bytes(32))
