"""VC-JOSE: vc+jwt issue and verify with EdDSA, ES256 and ES384."""

from __future__ import annotations

import base64
import json
import math
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_values import (
    KEYS,
    NASTY_INTEGERS,
    SCALARS,
    STRINGS,
    json_tree,
)

from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.jose import JoseError, _json_bytes, _json_value, issue_vc_jwt, verify_vc_jwt
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PrivateKey
from property_profiles import examples


def _header(token: str) -> dict:
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.mark.parametrize(
    ("algorithm", "alg"), [("Ed25519", "EdDSA"), ("P-256", "ES256"), ("P-384", "ES384")]
)
def test_vc_jwt_round_trips_and_names_its_type(alumni_credential, algorithm, alg):
    key = PrivateKey.generate(algorithm)
    token = issue_vc_jwt(alumni_credential, key, kid=did_key_verification_method_id(key.public_key))
    assert _header(token)["typ"] == "vc+jwt" and _header(token)["alg"] == alg
    assert verify_vc_jwt(token, resolve_key=key_resolver()) == alumni_credential


def test_changed_payload_fails(alumni_credential):
    key = PrivateKey.generate()
    token = issue_vc_jwt(alumni_credential, key, kid=did_key_verification_method_id(key.public_key))
    forged = dict(alumni_credential, name="Forged")
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    header, _payload, signature = token.split(".")
    with pytest.raises(JoseError, match="does not match"):
        verify_vc_jwt(f"{header}.{payload}.{signature}", resolve_key=key_resolver())


def test_malformed_tokens_fail_with_a_reason():
    with pytest.raises(JoseError, match="three"):
        verify_vc_jwt("abc", resolve_key=key_resolver())
    with pytest.raises(JoseError, match="header"):
        verify_vc_jwt("!!.e30.e30", resolve_key=key_resolver())


# JSON inside tokens: orjson writes and reads it, and must agree with what `json` did before.


def _well_formed(text: str) -> bool:
    return not any("\ud800" <= ch <= "\udfff" for ch in text)


VALUES = json_tree(SCALARS)
WITHOUT_FLOATS = json_tree(
    st.none() | st.booleans() | st.integers() | NASTY_INTEGERS | STRINGS.filter(_well_formed),
    KEYS.filter(_well_formed),
)


def _as_read(value: object) -> str:
    """What a value read from JSON is, to the type: repr tells 1 from 1.0 and shows NaN."""
    return repr(value)


@settings(max_examples=examples(500), deadline=None)
@given(VALUES, st.booleans())
def test_token_json_is_read_as_json_loads_reads_it(value, ascii_only):
    try:
        data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate written as itself cannot be UTF-8
        return
    assert _as_read(_json_value(data)) == _as_read(json.loads(data))


@settings(max_examples=examples(500), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "é"]), SCALARS), min_size=1, max_size=6))
def test_duplicate_member_names_are_read_as_json_loads_reads_them(members):
    data = (
        "{" + ",".join(f"{json.dumps(name)}:{json.dumps(value)}" for name, value in members) + "}"
    ).encode()
    assert _as_read(_json_value(data)) == _as_read(json.loads(data))


@settings(max_examples=examples(500), deadline=None)
@given(VALUES)
def test_payload_json_reads_back_as_json_dumps_wrote_it(value):
    try:
        expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        with pytest.raises((TypeError, ValueError)):
            _json_bytes(value)
        return
    try:
        written = _json_bytes(value)
    except UnicodeEncodeError:  # a lone surrogate: json.dumps gave text that is not UTF-8 either
        return
    assert _as_read(json.loads(written)) == _as_read(json.loads(expected))


@settings(max_examples=examples(500), deadline=None)
@given(WITHOUT_FLOATS)
def test_payload_json_without_floats_is_byte_for_byte_json_dumps(value):
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert _json_bytes(value) == expected


def test_a_signed_token_with_duplicate_names_and_a_big_integer_reads_as_before():
    key = PrivateKey.generate()
    method = did_key_verification_method_id(key.public_key)
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": method}
    payload = b'{"n":1,"big":123456789012345678901234567890,"n":2,"x":NaN}'
    signing_input = b".".join(
        base64.urlsafe_b64encode(part).rstrip(b"=")
        for part in (json.dumps(header).encode(), payload)
    )
    signature = base64.urlsafe_b64encode(key.sign(signing_input)).rstrip(b"=")
    token = (signing_input + b"." + signature).decode()
    credential = verify_vc_jwt(token, resolve_key=key_resolver())
    assert credential["n"] == 2 and credential["big"] == 123456789012345678901234567890
    assert math.isnan(credential["x"])


def test_payload_uuids_are_written_as_their_text():
    value = {"id": uuid.UUID(int=1)}
    assert json.loads(_json_bytes(value)) == {"id": "00000000-0000-0000-0000-000000000001"}
