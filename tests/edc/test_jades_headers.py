"""JAdES header members EDC seals use (crit: sigT, x5t#o, sigX5ts, sigD, adoTst; etsiU) and
RFC 3161 time-stamps: the signature is checked first, and reported apart from the header."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import pytest
from seal_pki import (
    NOW,
    TimestampAuthority,
    b64url,
    certificate,
    commission_shaped_seal,
    der,
    seal_certificate,
    seal_with_header,
)

from microcred.crypto import jades, rfc3161

PAYLOAD = json.dumps({"type": ["VerifiableCredential", "EuropeanDigitalCredential"]}).encode()


@pytest.fixture(scope="module")
def pki():
    """A test CA with a seal certificate and a time-stamping authority under it."""
    root = certificate("Test EU Seal Root", None, path_length=1)
    sealer = seal_certificate(root)
    tsa = TimestampAuthority.on(root)
    return root, sealer, tsa


def commission_shaped(pki, payload: bytes = PAYLOAD, **extra) -> dict:
    root, sealer, tsa = pki
    return commission_shaped_seal(payload, sealer, root, tsa, **extra)


def change_one_character(sealed: dict) -> dict:
    changed = sealed["payload"].replace("European", "Europaan", 1)
    assert changed != sealed["payload"]
    return sealed | {"payload": changed}


def test_commission_shaped_seal_is_intact_and_its_test_sealer_untrusted(pki):
    found = jades.verify(commission_shaped(pki), roots=[])
    assert found.signature_valid and found.seal_intact and not found.sealer_trusted
    assert "no root of the trust store" in found.reason
    assert [t.kind for t in found.timestamps] == ["content", "signature"]
    assert jades.payload_of(commission_shaped(pki)) == PAYLOAD.decode()


def test_commission_shaped_seal_is_trusted_when_its_root_is(pki):
    root = pki[0]
    found = jades.verify(commission_shaped(pki), roots=[root.certificate])
    assert found.seal_intact and found.sealer_trusted, found.reason
    assert all(t.trusted for t in found.timestamps)
    assert found.judged_at == NOW  # the trusted time-stamp's time, not sigT (09:31)
    assert found.level == "B-T"


def test_one_changed_character_breaks_the_signature(pki):
    found = jades.verify(change_one_character(commission_shaped(pki)), roots=[])
    assert not found.signature_valid and not found.seal_intact
    assert "does not match the payload" in found.reason


def test_unknown_critical_member_is_reported_apart_from_the_signature(pki):
    sealed = commission_shaped(pki, crit=["b64", "sigT", "adoTst", "srCms"], srCms=[])
    found = jades.verify(sealed, roots=[])
    assert found.signature_valid and not found.seal_intact
    assert "does not understand: ['srCms']" in found.reason
    tampered = jades.verify(change_one_character(sealed), roots=[])
    assert not tampered.signature_valid and "does not match the payload" in tampered.reason


def test_x5t_o_naming_another_certificate_is_refused(pki):
    other = {"digAlg": "S256", "digVal": b64url(hashlib.sha256(b"another").digest())}
    found = jades.verify(commission_shaped(pki, **{"x5t#o": other}), roots=[])
    assert found.signature_valid and "x5t#o does not match" in found.reason


def test_base64url_payload_and_a_matching_x5t_o_are_read(pki):
    root, sealer, _ = pki
    reference = {
        "digAlg": "S512",
        "digVal": b64url(hashlib.sha512(der(sealer.certificate)).digest()),
    }
    crit = ["b64", "sigT", "x5t#o", "adoTst"]
    sealed = commission_shaped(pki, b64=True, crit=crit, **{"x5t#o": reference})
    assert sealed["payload"] == b64url(PAYLOAD)
    found = jades.verify(sealed, roots=[root.certificate])
    assert found.seal_intact and found.sealer_trusted, found.reason
    assert jades.payload_of(sealed) == PAYLOAD.decode()
    changed = sealed | {"payload": b64url(PAYLOAD.replace(b"European", b"Europaan"))}
    assert not jades.verify(changed, roots=[root.certificate]).signature_valid


def test_sigd_detached_data_is_refused_with_its_reason(pki):
    sig_d = {
        "mId": "http://uri.etsi.org/19182/ObjectIdByURIHash",
        "pars": ["credential.json"],
        "hashM": "S256",
        "hashV": [b64url(hashlib.sha256(PAYLOAD).digest())],
    }
    sealed = commission_shaped(pki, sigD=sig_d, crit=["b64", "sigT", "adoTst", "sigD"])
    found = jades.verify(sealed, roots=[])
    assert found.signature_valid and not found.seal_intact and "detached" in found.reason


def test_crit_naming_a_member_the_header_lacks_is_refused(pki):
    found = jades.verify(
        commission_shaped(pki, crit=["b64", "sigT", "adoTst", "sigX5ts"]), roots=[]
    )
    assert found.signature_valid and "does not carry: ['sigX5ts']" in found.reason


def test_content_timestamp_over_other_data_is_refused(pki):
    root, sealer, tsa = pki
    stale = tsa.timestamper(b"some other credential")
    adotst = {"tstTokens": [{"val": base64.b64encode(stale).decode()}]}
    found = jades.verify(commission_shaped(pki, adoTst=adotst), roots=[])
    assert found.signature_valid and not found.seal_intact
    assert "adoTst time-stamp does not hold" in found.reason and "imprint" in found.reason


def test_timestamp_with_a_forged_authority_signature_is_refused(pki):
    root, sealer, tsa = pki
    token = bytearray(tsa.timestamper(b64url(PAYLOAD).encode()))
    token[-5] ^= 0x01  # the RSA signature ends the token
    with pytest.raises(rfc3161.TimestampError, match="does not verify"):
        rfc3161.verify_token(bytes(token), b64url(PAYLOAD).encode())


def test_unreadable_timestamp_token_is_a_clear_refusal():
    with pytest.raises(rfc3161.TimestampError, match="cannot be read"):
        rfc3161.verify_token(b"\x30\x03\x02\x01\x01", b"data")


def test_content_timestamp_is_no_proof_of_when_the_seal_was_made(pki):
    """adoTst says the data existed by then; the seal, made later, is judged at the time of
    verifying (or sigT when none is given), so a seal certificate issued after it is fine."""
    root, _, tsa = pki
    late = seal_certificate(root, "Seal issued after the time-stamp", not_before=NOW + timedelta(1))
    token = tsa.timestamper(PAYLOAD)
    header = {
        "b64": False,
        "sigT": (NOW + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "adoTst": {"tstTokens": [{"val": base64.b64encode(token).decode()}]},
        "crit": ["b64", "sigT", "adoTst"],
    }
    sealed = seal_with_header(PAYLOAD, late, [late.certificate, root.certificate], header)
    found = jades.verify(sealed, roots=[root.certificate])
    assert found.sealer_trusted and found.timestamps[0].trusted, found.reason
    assert found.judged_at == NOW + timedelta(days=2) and found.level == "B-B"
    verifying = NOW + timedelta(days=3)
    assert jades.verify(sealed, roots=[root.certificate], now=verifying).judged_at == verifying


def test_timestamp_by_a_certificate_without_time_stamping_usage_is_not_trusted(pki):
    root, sealer, _ = pki
    impostor = TimestampAuthority(root, sealer)  # an ordinary seal certificate answering
    token = impostor.timestamper(PAYLOAD)
    stamp = rfc3161.verify_token(token, PAYLOAD)
    assert stamp.time == NOW
    header = {
        "b64": False,
        "sigT": "2026-03-02T09:31:00Z",
        "adoTst": {"tstTokens": [{"val": base64.b64encode(token).decode()}]},
        "crit": ["b64", "sigT", "adoTst"],
    }
    sealed = seal_with_header(PAYLOAD, sealer, [sealer.certificate, root.certificate], header)
    found = jades.verify(sealed, roots=[root.certificate])
    assert found.sealer_trusted and not found.timestamps[0].trusted
    assert "not a time-stamping certificate" in (found.timestamps[0].problem or "")


def test_microcred_seal_with_a_content_timestamp_round_trips(pki, seal, root):
    _, _, tsa = pki
    sealed = jades.seal(PAYLOAD, seal, NOW, timestamper=tsa.timestamper)
    text = sealed["signatures"][0]["protected"]
    header = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    assert header["crit"] == ["b64", "sigT", "adoTst"]
    found = jades.verify(sealed, roots=[root, pki[0].certificate])
    assert found.signature_valid and found.timestamps[0].trusted
    assert found.judged_at == NOW and found.level == "B-B"  # sigT; adoTst is no B-T


def test_unsigned_signature_timestamp_that_does_not_hold_is_set_aside(pki):
    root, _, tsa = pki
    sealed = commission_shaped(pki)
    components = sealed["signatures"][0]["header"]["etsiU"]
    stale = {"sigTst": {"tstTokens": [{"val": base64.b64encode(tsa.timestamper(b"x")).decode()}]}}
    components[0] = b64url(json.dumps(stale).encode())
    found = jades.verify(sealed, roots=[root.certificate])
    assert found.seal_intact and found.sealer_trusted, found.reason
    signature_stamp = next(t for t in found.timestamps if t.kind == "signature")
    assert not signature_stamp.trusted and "imprint" in (signature_stamp.problem or "")
    # sigT (09:31), not the content time-stamp's time: that proves nothing about the seal's.
    assert found.judged_at == NOW + timedelta(minutes=1) and found.level == "B-B"


@pytest.mark.parametrize(
    ("adotst", "expected"),
    [
        ({"tstTokens": []}, "non-empty tstTokens"),
        ({"tstTokens": [{"val": "!!!"}]}, "not base64"),
        ({"tstTokens": [{"val": base64.b64encode(b"\x30\x80garbage").decode()}]}, "cannot be read"),
        ({"tstTokens": [{"val": "AA==", "encoding": "xml"}]}, "xml encoding"),
    ],
)
def test_hostile_content_timestamps_are_refused_with_a_reason(pki, adotst, expected):
    found = jades.verify(commission_shaped(pki, adoTst=adotst), roots=[])
    assert found.signature_valid and not found.seal_intact and expected in found.reason


@pytest.mark.parametrize(
    "etsi_u",
    [{"etsiU": "not an array"}, {"etsiU": [b64url(b"[" * 100_000)]}, {"etsiU": [{"a": 1, "b": 2}]}],
)
def test_hostile_unsigned_header_is_set_aside(pki, etsi_u):
    root = pki[0]
    sealed = commission_shaped(pki)
    sealed["signatures"][0]["header"] = etsi_u
    found = jades.verify(sealed, roots=[root.certificate])
    assert found.seal_intact and found.sealer_trusted, found.reason
    assert found.timestamps[-1].problem and found.timestamps[-1].problem.startswith("etsiU")


def test_deeply_nested_protected_header_is_a_clear_refusal():
    sealed = {"payload": "{}", "signatures": [{"protected": b64url(b"[" * 100_000)}]}
    with pytest.raises(jades.JadesError, match="not base64url-encoded JSON"):
        jades.verify(sealed, roots=[])
