"""Base58btc: the Bitcoin alphabet, leading zero bytes as '1', and the multibase 'z' prefix."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.crypto.base58 import (
    ALPHABET,
    b58decode,
    b58encode,
    multibase_decode,
    multibase_encode,
)
from property_profiles import examples


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"\0", "1"),
        (b"\0\0\x28\x7f\xb4\xcd", "11233QC4"),
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (
            b"The quick brown fox jumps over the lazy dog.",
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        ),
        (b"\x39", "z"),  # 57, the last digit
        (b"\x3a", "21"),  # 58 = 1 * 58 + 0
        (b"\x0d\x24", "211"),  # 3364 = 58 * 58: an odd number of digits
    ],
)
def test_known_encodings(data, text):
    assert b58encode(data) == text
    assert b58decode(text) == data


@settings(max_examples=examples(500))
@given(st.binary(max_size=80))
def test_decoding_gives_back_the_encoded_bytes(data):
    text = b58encode(data)
    assert set(text) <= set(ALPHABET)
    assert len(text) - len(text.lstrip("1")) == len(data) - len(data.lstrip(b"\0"))
    assert b58decode(text) == data
    assert multibase_decode(multibase_encode(data)) == data


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "é", "?", "+"])
def test_characters_outside_the_alphabet_are_named(bad):
    with pytest.raises(ValueError, match=re.escape(f"{bad!r} is not a base58btc character")):
        b58decode(f"2N{bad}po")


def test_other_multibase_encodings_are_refused():
    with pytest.raises(ValueError, match="starting with 'z'"):
        multibase_decode("uAQID")
