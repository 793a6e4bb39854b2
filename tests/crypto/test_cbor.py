"""CBOR subset: deterministic encoding, and a decoder that refuses anything it does not expect."""

from __future__ import annotations

import pytest

from microcred.crypto import cbor


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"),
        (23, "17"),
        (24, "1818"),
        (256, "190100"),
        (65536, "1a00010000"),
        (1 << 32, "1b0000000100000000"),
        (b"\x01\x02", "420102"),
        ("/issuer", "672f697373756572"),
        ([1, [2]], "820181" + "02"),
        ({1: b"", 0: b"", 24: b""}, "a3" + "0040" + "0140" + "181840"),
    ],
)
def test_values_encode_in_their_shortest_deterministic_form_and_decode_back(value, encoded):
    assert cbor.encode(value).hex() == encoded
    assert cbor.decode(bytes.fromhex(encoded)) == value


@pytest.mark.parametrize("value", [-1, 1.5, None, True, {(1,): 2}])
def test_values_outside_the_subset_are_not_encoded(value):
    with pytest.raises(cbor.CborError):
        cbor.encode(value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "runs past the end"),
        ("0000", "1 bytes follow"),
        ("5f", "indefinite"),
        ("9f", "indefinite"),
        ("1817", "shortest form"),
        ("190017", "shortest form"),
        ("5b0000000100000000", "runs past the end"),
        ("9bffffffffffffffff", "runs past the end"),
        ("bbffffffffffffffff", "runs past the end"),
        ("20", "negative integer"),
        ("c240", "a tag"),
        ("f5", "float or simple value"),
        ("62c328", "not UTF-8"),
        ("a2000000" + "00", "appears twice"),
        ("a1800000", "map key must be"),
        ("81" * 10 + "00", "nested deeper"),
    ],
)
def test_malformed_or_unexpected_cbor_is_refused(data, message):
    with pytest.raises(cbor.CborError, match=message):
        cbor.decode(bytes.fromhex(data))
