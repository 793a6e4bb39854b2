"""JAdES-B-T: a signature time-stamp from a real RFC 3161 authority served on 127.0.0.1, asked
for under the fetch policy, and a seal judged at the time-stamp's time rather than the time it
claims: an expired seal certificate with an earlier trusted time-stamp verifies, without one
it does not."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms, tsp
from seal_pki import NOW, TimestampAuthority, certificate, seal_certificate, tsa_app

from microcred.crypto import jades, jades_header, jades_levels, rfc3161, tsa
from microcred.crypto.x509_seal import SealCredentials
from microcred.domain.validation import parse_specification
from microcred.formats.elm.render import render_edc
from microcred.net import FetchPolicy
from microcred.services.demo import demo_entries
from microcred.services.edc import configured_timestamper, seal_edc
from microcred.verify.pipeline import verify_credential
from served import served

PAYLOAD = json.dumps({"type": ["VerifiableCredential", "EuropeanDigitalCredential"]}).encode()
LOOPBACK = FetchPolicy(allow_private=True)
AFTER_EXPIRY = NOW + timedelta(days=400)


@pytest.fixture(scope="module")
def pki():
    """A root, a seal certificate that expires a day after NOW, and a TSA under the root."""
    root = certificate("Test EU Seal Root", None, path_length=1, not_after=NOW + timedelta(3650))
    sealer = seal_certificate(root, "Short-lived seal", not_after=NOW + timedelta(days=1))
    authority = TimestampAuthority.on(root, not_after=NOW + timedelta(days=3000))
    return root, sealer, authority


@pytest.fixture(scope="module")
def tsa_url(pki):
    app = tsa_app(pki[2])
    with served(app) as base:
        yield f"{base}/tsa"


def sealed_b(pki) -> dict:
    root, sealer, _ = pki
    credentials = SealCredentials(sealer.key, [sealer.certificate, root.certificate])
    return jades.seal(PAYLOAD, credentials, NOW)


def test_tsa_client_gets_a_token_over_loopback(tsa_url):
    token = tsa.request_timestamp(tsa_url, b"some data", policy=LOOPBACK)
    stamp = rfc3161.verify_token(token, b"some data")
    assert stamp.time == NOW
    assert stamp.authority.subject.rfc4514_string() == "CN=Test time-stamping unit"


def test_tsa_on_a_loopback_address_is_refused_by_the_default_policy(pki):
    app = tsa_app(pki[2])
    with served(app) as base:
        with pytest.raises(tsa.TimestampUnavailable, match="address not allowed"):
            url = base.replace("http://", "https://") + "/tsa"
            tsa.request_timestamp(url, b"data", policy=FetchPolicy())
        with pytest.raises(tsa.TimestampUnavailable, match="only https URLs"):
            tsa.request_timestamp(f"{base}/tsa", b"data", policy=FetchPolicy())
    assert app.state.requests == []  # nothing was sent


def test_slow_tsa_is_given_up_at_the_fetch_deadline(pki):
    app = tsa_app(pki[2], delay=5)
    with served(app) as base:
        started = time.monotonic()
        with pytest.raises(tsa.TimestampUnavailable, match="no complete answer within 0.5 s"):
            tsa.request_timestamp(
                f"{base}/tsa", b"data", policy=FetchPolicy(allow_private=True, deadline=0.5)
            )
        assert time.monotonic() - started < 3


def test_tsa_answering_with_a_token_over_other_data_is_refused(pki):
    stale = pki[2].timestamper(b"other data")  # a token for another request, replayed
    reply = tsp.TimeStampResp(
        {"status": {"status": "granted"}, "time_stamp_token": cms.ContentInfo.load(stale)}
    ).dump()
    assert "another request's nonce" in refusal_of_a_tsa_answering(pki, reply)


def test_tsa_answering_garbage_is_a_clear_refusal(pki):
    assert "not a TimeStampResp" in refusal_of_a_tsa_answering(pki, b"<html>busy</html>")


def refusal_of_a_tsa_answering(pki, reply: bytes) -> str:
    """Return why a token is refused from a TSA that answers every request with ``reply``."""
    with served(tsa_app(pki[2], answer=reply)) as base:
        try:
            tsa.request_timestamp(f"{base}/tsa", b"data", policy=LOOPBACK)
        except tsa.TimestampUnavailable as error:
            return str(error)
    raise AssertionError("the answer was taken")


def test_b_t_seal_carries_a_signature_timestamp_over_the_signature_value(pki, tsa_url):
    sealed = jades_levels.add_signature_timestamp(
        sealed_b(pki), tsa.timestamper(tsa_url, policy=LOOPBACK)
    )
    component = sealed["signatures"][0]["header"]["etsiU"][0]
    decoded = json.loads(base64.urlsafe_b64decode(component + "=" * (-len(component) % 4)))
    token = base64.b64decode(decoded["sigTst"]["tstTokens"][0]["val"])
    signature = sealed["signatures"][0]["signature"].encode()
    assert rfc3161.verify_token(token, signature).time == NOW


def test_expired_seal_certificate_with_an_earlier_trusted_timestamp_verifies(pki, tsa_url):
    root = pki[0]
    sealed = jades_levels.add_signature_timestamp(
        sealed_b(pki), tsa.timestamper(tsa_url, policy=LOOPBACK)
    )
    found = jades.verify(sealed, [root.certificate], now=AFTER_EXPIRY)
    assert found.seal_intact and found.sealer_trusted, found.reason
    assert found.level == "B-T"
    assert found.judged_at == NOW


def test_expired_seal_certificate_without_a_timestamp_does_not_verify(pki):
    found = jades.verify(sealed_b(pki), [pki[0].certificate], now=AFTER_EXPIRY)
    assert found.seal_intact and not found.sealer_trusted
    assert found.level == "B-B"
    assert found.judged_at == AFTER_EXPIRY
    assert "was not valid at" in found.reason


def test_timestamp_made_after_the_seal_certificate_expired_does_not_save_it(pki):
    root, _, authority = pki
    late = TimestampAuthority(authority.issuer, authority.authority, clock=lambda: AFTER_EXPIRY)
    sealed = jades_levels.add_signature_timestamp(sealed_b(pki), late.timestamper)
    found = jades.verify(sealed, [root.certificate], now=AFTER_EXPIRY + timedelta(days=1))
    assert found.seal_intact and not found.sealer_trusted
    assert found.judged_at == AFTER_EXPIRY


def test_timestamp_by_an_untrusted_authority_leaves_the_seal_at_b_b(pki):
    root = pki[0]
    stranger = TimestampAuthority.on(certificate("Unknown TSA root", None))
    sealed = jades_levels.add_signature_timestamp(sealed_b(pki), stranger.timestamper)
    found = jades.verify(sealed, [root.certificate], now=AFTER_EXPIRY)
    assert found.level == "B-B" and not found.sealer_trusted
    assert found.timestamps[0].trusted is False


def test_edc_sealed_with_the_configured_tsa_verifies_as_b_t(
    monkeypatch, pki, award, issuer, seal, root
):
    authority = pki[2]
    live = TimestampAuthority(
        authority.issuer, authority.authority, clock=lambda: datetime.now(UTC)
    )
    with served(tsa_app(live)) as base:
        monkeypatch.setenv("MICROCRED_TSA_URL", f"{base}/tsa")
        sealed = _sealed_edc_with_configured_tsa(monkeypatch, award, issuer, seal)
    report = verify_credential(sealed, seal_roots=[root, pki[0].certificate])
    seal_check = report.check("seal")
    assert seal_check.details["baseline_level"] == "B-T", seal_check.reason
    assert seal_check.reason.startswith("JAdES B-T seal intact")
    # Raised to B-LTA by default, but a TEST seal names no OCSP responder or CRL: B-T it reads.
    assert [t["kind"] for t in seal_check.details["timestamps"]] == ["signature"]
    assert seal_check.details["revocation"][0]["status"] == "unknown"
    components = jades_header.unsigned_components(sealed["signatures"][0]["header"])
    assert [next(iter(c)) for _, c in components] == ["sigTst", "xVals", "rVals", "arcTst"]
    # Without the TSA's root in the trust store its time proves nothing: B-B it stays.
    alone = verify_credential(sealed, seal_roots=[root]).check("seal")
    assert alone.details["baseline_level"] == "B-B"
    assert alone.details["timestamps"][0]["authority_trusted"] is False


def _sealed_edc_with_configured_tsa(monkeypatch, award, issuer, seal) -> dict:
    monkeypatch.setenv("MICROCRED_FETCH_ALLOW_PRIVATE", "true")
    issuer = issuer.model_copy(update={"legal_identifier": "VATDE-123456789"})
    spec = next(parse_specification(e.data) for e in demo_entries() if e.publish)
    credential = render_edc(spec, award, issuer, spec_url="https://uni.example/spec/1")
    timestamper = configured_timestamper()
    assert timestamper is not None
    return seal_edc(credential, seal, timestamper=timestamper).document


def test_unset_tsa_url_seals_at_b_b(monkeypatch):
    monkeypatch.delenv("MICROCRED_TSA_URL", raising=False)
    assert configured_timestamper() is None
