"""CBOR (RFC 8949), the subset selective-disclosure proof values use: unsigned integers, byte
strings, text strings, arrays and maps, definite lengths only.

The encoder writes the shortest form of every length and sorts map keys by their encoded bytes
(length first), as RFC 8949 "core deterministic encoding" says, so one value has one encoding.
The decoder reads untrusted proof values: anything outside the subset, a length running past the
data, nesting deeper than `MAX_DEPTH`, a non-shortest length or trailing bytes is refused with
`CborError` before any large allocation.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 8
"""Proof values nest three deep; anything far deeper is not one."""

_UNSIGNED, _BYTES, _TEXT, _ARRAY, _MAP = 0, 2, 3, 4, 5
_NAMES = {1: "a negative integer", 6: "a tag", 7: "a float or simple value"}


class CborError(ValueError):
    """The bytes are not CBOR of the supported subset; the message says where and why."""


def encode(value: Any) -> bytes:
    """Return the deterministic CBOR encoding of ints ≥ 0, bytes, str, lists and dicts."""
    if isinstance(value, bool) or value is None:
        raise CborError(f"cannot encode {value!r}: only integers, bytes, text, arrays and maps")
    if isinstance(value, int):
        if value < 0:
            raise CborError("cannot encode a negative integer")
        return _head(_UNSIGNED, value)
    if isinstance(value, bytes):
        return _head(_BYTES, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(_TEXT, len(data)) + data
    if isinstance(value, list | tuple):
        return _head(_ARRAY, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        if not all(isinstance(key, int | bytes | str) for key in value):
            raise CborError("a map key must be an integer, bytes or text")
        pairs = sorted((encode(key), encode(item)) for key, item in value.items())
        pairs.sort(key=lambda pair: len(pair[0]))
        return _head(_MAP, len(pairs)) + b"".join(key + item for key, item in pairs)
    raise CborError(f"cannot encode a {type(value).__name__}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise CborError("an integer or length above 2**64 cannot be encoded")


def decode(data: bytes) -> Any:
    """Return the value `data` encodes; raises `CborError` for anything else or trailing bytes."""
    reader = _Reader(data)
    value = reader.item(0)
    if reader.position != len(data):
        raise CborError(f"{len(data) - reader.position} bytes follow the CBOR value")
    return value


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def item(self, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise CborError(f"nested deeper than {MAX_DEPTH} levels")
        major, argument = self._head()
        if major == _UNSIGNED:
            return argument
        if major == _BYTES:
            return self._take(argument)
        if major == _TEXT:
            try:
                return self._take(argument).decode("utf-8")
            except UnicodeDecodeError as error:
                raise CborError("a text string is not UTF-8") from error
        if major == _ARRAY:
            self._require(argument)  # every item takes one byte at least
            return [self.item(depth + 1) for _ in range(argument)]
        if major == _MAP:
            self._require(2 * argument)
            result: dict[Any, Any] = {}
            for _ in range(argument):
                key = self.item(depth + 1)
                if isinstance(key, list | dict):
                    raise CborError("a map key must be an integer, bytes or text")
                if key in result:
                    raise CborError(f"the map key {key!r} appears twice")
                result[key] = self.item(depth + 1)
            return result
        raise CborError(f"{_NAMES[major]} at byte {self.position - 1} is not supported here")

    def _head(self) -> tuple[int, int]:
        start = self.position
        initial = self._take(1)[0]
        major, info = initial >> 5, initial & 0x1F
        if info < 24:
            return major, info
        if info > 27:
            raise CborError(f"indefinite or reserved length at byte {start}")
        size = 1 << (info - 24)
        argument = int.from_bytes(self._take(size), "big")
        if argument < (24 if size == 1 else 1 << (4 * size)):
            raise CborError(f"the length at byte {start} is not in its shortest form")
        return major, argument

    def _require(self, count: int) -> None:
        if count > len(self.data) - self.position:
            raise CborError(f"a length at byte {self.position} runs past the end of the data")

    def _take(self, count: int) -> bytes:
        self._require(count)
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk
