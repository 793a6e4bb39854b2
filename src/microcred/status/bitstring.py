"""The status bits and their ``encodedList`` form: GZIP, then multibase base64url (``u``).

Index 0 is the left-most bit: the most significant bit of the first byte. A list holds at
least ``MIN_ENTRIES`` (131,072 bits, 16 KiB) so that one credential hides among many.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib

MIN_ENTRIES = 131_072
# A decoded list larger than this is refused (a gzip bomb, or not a status list at all).
MAX_DECODED_BYTES = 16 * 1024 * 1024
MULTIBASE_BASE64URL = "u"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class EncodedListError(ValueError):
    """An ``encodedList`` that cannot be decoded; the message says what is wrong with it."""


def new_bitstring(entries: int = MIN_ENTRIES) -> bytearray:
    """Return a bitstring of ``entries`` bits, all zero; ``entries`` must be a multiple of 8."""
    if entries <= 0 or entries % 8:
        raise ValueError(f"a status list holds a positive multiple of 8 entries, got {entries}")
    return bytearray(entries // 8)


def get_bit(bits: bytes | bytearray, index: int) -> bool:
    """Return the bit at ``index``; raises IndexError outside the list."""
    _check_index(bits, index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool = True) -> None:
    """Set (or clear) the bit at ``index`` in place."""
    _check_index(bits, index)
    mask = 0x80 >> (index % 8)
    if value:
        bits[index // 8] |= mask
    else:
        bits[index // 8] &= ~mask & 0xFF


def bitstring_with(indices: list[int] | set[int], entries: int = MIN_ENTRIES) -> bytearray:
    """Return a bitstring of ``entries`` bits in which exactly ``indices`` are set."""
    bits = new_bitstring(entries)
    for index in indices:
        set_bit(bits, index)
    return bits


def encode_list(bits: bytes | bytearray) -> str:
    """Return the ``encodedList`` of ``bits``; the same bits always give the same text."""
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    text = base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")
    return MULTIBASE_BASE64URL + text


def decode_list(encoded: str, max_bytes: int = MAX_DECODED_BYTES) -> bytes:
    """Return the bits of an ``encodedList``; raises ``EncodedListError`` naming the problem."""
    if not isinstance(encoded, str) or not encoded:
        raise EncodedListError("encodedList must be a non-empty string")
    if encoded[0] != MULTIBASE_BASE64URL:
        raise EncodedListError(
            f"encodedList must start with the multibase prefix 'u' (base64url), got {encoded[0]!r}"
        )
    body = encoded[1:]
    if not _BASE64URL.fullmatch(body):
        raise EncodedListError("encodedList is not base64url (A-Z, a-z, 0-9, '-', '_')")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise EncodedListError(f"encodedList is not base64url: {error}") from error
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        bits = inflater.decompress(compressed, max_bytes)
        if inflater.unconsumed_tail:
            raise EncodedListError(f"encodedList expands to more than {max_bytes} bytes")
        bits += inflater.flush()
    except zlib.error as error:
        raise EncodedListError(f"encodedList is not GZIP-compressed: {error}") from error
    if not inflater.eof:
        raise EncodedListError("encodedList is a truncated GZIP stream")
    return bits


def _check_index(bits: bytes | bytearray, index: int) -> None:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(f"status index {index} is outside a list of {len(bits) * 8} entries")
