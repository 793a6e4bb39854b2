"""JAdES-B-LT and B-LTA: validation data gathered at sealing time from an OCSP responder and a
CRL served on 127.0.0.1 (under the fetch policy), then judged offline, years later, at the time
of the signature time-stamp; an archive time-stamp over all of it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from seal_pki import (
    NOW,
    RevocationService,
    TimestampAuthority,
    certificate,
    revocation_pointers,
    seal_certificate,
)

from microcred.crypto import jades, jades_levels
from microcred.crypto.x509_seal import SealCredentials
from microcred.net import FetchPolicy
from served import free_port, served

PAYLOAD = json.dumps({"type": ["VerifiableCredential", "EuropeanDigitalCredential"]}).encode()
LOOPBACK = FetchPolicy(allow_private=True)
YEARS_LATER = NOW + timedelta(days=3 * 365)


@pytest.fixture(scope="module")
def ca():
    root = certificate("Test EU Seal Root", None, path_length=1, not_after=NOW + timedelta(3650))
    tsa = TimestampAuthority.on(root, not_after=NOW + timedelta(days=3650))
    return root, tsa


@pytest.fixture
def service(ca):
    """The root's OCSP responder and CRL on a loopback port; yields (service, base URL)."""
    revocations = RevocationService(ca[0])
    port = free_port()
    with served(revocations.app(), port) as base:
        yield revocations, base


def sealer(ca, service, name: str = "Long-term seal"):
    revocations, base = service
    made = seal_certificate(
        ca[0], name, not_after=NOW + timedelta(days=30), extra=revocation_pointers(base)
    )
    revocations.known.append(made.certificate)
    return made


def b_lt(ca, made, *, ocsp: bool = True, service=None) -> dict:
    root, tsa = ca
    credentials = SealCredentials(made.key, [made.certificate, root.certificate])
    sealed = jades.seal(PAYLOAD, credentials, NOW)
    sealed = jades_levels.add_signature_timestamp(sealed, tsa.timestamper)
    return jades_levels.add_validation_data(sealed, policy=LOOPBACK)


def test_b_lt_seal_carries_an_ocsp_answer_and_verifies_after_expiry(ca, service):
    made = sealer(ca, service)
    sealed = b_lt(ca, made)
    assert service[0].asked == ["ocsp"]
    found = jades.verify(sealed, [ca[0].certificate], now=YEARS_LATER)
    assert found.seal_intact and found.sealer_trusted, found.reason
    assert found.level == "B-LT"
    [finding] = found.revocation
    assert finding.status == "good" and finding.source.startswith("OCSP response by CN=Test EU")


def test_b_lt_falls_back_to_the_crl_when_the_responder_is_down(ca, service):
    service[0].ocsp = False
    made = sealer(ca, service)
    found = jades.verify(b_lt(ca, made), [ca[0].certificate], now=YEARS_LATER)
    assert service[0].asked == ["ocsp", "crl"]
    assert found.level == "B-LT" and found.sealer_trusted, found.reason
    assert found.revocation[0].source.startswith("CRL by CN=Test EU Seal Root")


def test_seal_certificate_revoked_before_the_time_stamp_is_not_trusted(ca, service):
    made = sealer(ca, service, "Compromised seal")
    service[0].revoked[made.certificate.serial_number] = NOW - timedelta(days=1)
    found = jades.verify(b_lt(ca, made), [ca[0].certificate], now=YEARS_LATER)
    assert found.seal_intact and not found.sealer_trusted
    assert "was revoked by then" in found.reason and found.level == "B-T"


def test_revocation_after_the_time_stamp_does_not_spoil_the_seal(ca, service):
    made = sealer(ca, service, "Seal revoked later")
    service[0].revoked[made.certificate.serial_number] = NOW + timedelta(days=2)
    found = jades.verify(b_lt(ca, made), [ca[0].certificate], now=YEARS_LATER)
    assert found.sealer_trusted, found.reason
    assert "revoked only at" in found.revocation[0].source


def test_ocsp_answer_signed_by_a_stranger_counts_for_nothing(ca, service):
    stranger = RevocationService(certificate("Some other CA", None, fresh_key=True))
    made = sealer(ca, service)
    stranger.known.append(made.certificate)
    sealed = b_lt(ca, made)
    forged = stranger.ocsp_response(_ocsp_request(made.certificate, ca[0].certificate))
    _replace_revocation_values(sealed, forged)
    found = jades.verify(sealed, [ca[0].certificate], now=YEARS_LATER)
    assert found.level == "B-T" and found.revocation[0].status == "unknown"


def test_b_lta_archive_time_stamp_covers_the_validation_data(ca, service):
    made = sealer(ca, service)
    sealed = jades_levels.add_archive_timestamp(b_lt(ca, made), ca[1].timestamper)
    found = jades.verify(sealed, [ca[0].certificate], now=YEARS_LATER)
    assert found.level == "B-LTA" and found.sealer_trusted, found.reason
    assert found.archive_time == NOW
    # Changing the validation data after the archive time-stamp leaves it covering nothing.
    stranger = RevocationService(certificate("Some other CA", None, fresh_key=True))
    stranger.known.append(made.certificate)
    _replace_revocation_values(
        sealed, stranger.ocsp_response(_ocsp_request(made.certificate, ca[0].certificate))
    )
    assert jades.verify(sealed, [ca[0].certificate], now=YEARS_LATER).level == "B-T"


def test_b_lt_needs_a_signature_time_stamp_first(ca, service):
    made = sealer(ca, service)
    sealed = jades.seal(PAYLOAD, SealCredentials(made.key, [made.certificate]), NOW)
    with pytest.raises(ValueError, match="signature time-stamp first"):
        jades_levels.add_validation_data(sealed, policy=LOOPBACK)


def _ocsp_request(subject, issuer) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    request = ocsp.OCSPRequestBuilder().add_certificate(subject, issuer, hashes.SHA256()).build()
    return request.public_bytes(serialization.Encoding.DER)


def _replace_revocation_values(sealed: dict, ocsp_der: bytes) -> None:
    import base64

    components = sealed["signatures"][0]["header"]["etsiU"]
    values = {"rVals": {"ocspVals": [{"val": base64.b64encode(ocsp_der).decode()}]}}
    index = next(
        i
        for i, c in enumerate(components)
        if "rVals" in json.loads(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)))
    )
    components[index] = jades_levels.encode_component(values)
