"""The bits of a status list and their encodedList form (GZIP + multibase base64url)."""

from __future__ import annotations

import base64
import gzip

import pytest

from microcred.status.bitstring import (
    MIN_ENTRIES,
    EncodedListError,
    bitstring_with,
    decode_list,
    encode_list,
    get_bit,
    new_bitstring,
    set_bit,
)


def test_a_new_list_holds_131072_entries_in_16_kib_all_zero() -> None:
    bits = new_bitstring()
    assert len(bits) == 16 * 1024
    assert len(bits) * 8 == MIN_ENTRIES
    assert not any(bits)


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    bits = new_bitstring(16)
    set_bit(bits, 0)
    set_bit(bits, 9)
    assert bits == bytearray([0b1000_0000, 0b0100_0000])
    assert get_bit(bits, 0) and get_bit(bits, 9) and not get_bit(bits, 1)


def test_clearing_a_bit_leaves_its_neighbours() -> None:
    bits = bitstring_with({3, 4, 5}, 8)
    set_bit(bits, 4, False)
    assert [get_bit(bits, i) for i in range(8)] == [0, 0, 0, 1, 0, 1, 0, 0]


def test_encoded_list_is_u_prefixed_unpadded_base64url_of_gzip_and_round_trips() -> None:
    bits = bitstring_with({0, 94567, MIN_ENTRIES - 1})
    encoded = encode_list(bits)
    assert encoded.startswith("u") and "=" not in encoded and "+" not in encoded
    body = encoded[1:]
    assert gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) == bits
    assert decode_list(encoded) == bits


def test_the_same_bits_always_encode_to_the_same_text() -> None:
    assert encode_list(bitstring_with({7})) == encode_list(bitstring_with({7}))


def test_an_empty_list_compresses_to_a_few_dozen_bytes() -> None:
    assert len(encode_list(new_bitstring())) < 200


@pytest.mark.parametrize(
    ("encoded", "problem"),
    [
        ("", "non-empty"),
        ("z" + "abc", "multibase prefix 'u'"),
        ("u!!!", "base64url"),
        ("u" + base64.urlsafe_b64encode(b"not gzip at all").decode().rstrip("="), "GZIP"),
    ],
)
def test_bad_encoded_list_names_the_problem(encoded: str, problem: str) -> None:
    with pytest.raises(EncodedListError, match=problem):
        decode_list(encoded)


def test_a_gzip_bomb_is_refused_before_it_is_expanded() -> None:
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(50_000_000))).decode().rstrip("=")
    with pytest.raises(EncodedListError, match="expands to more than"):
        decode_list(bomb, max_bytes=1_000_000)


def test_an_index_outside_the_list_is_an_error() -> None:
    with pytest.raises(IndexError, match="outside a list of 16 entries"):
        get_bit(new_bitstring(16), 16)
