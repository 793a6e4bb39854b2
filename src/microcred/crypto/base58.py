"""Base58btc (the Bitcoin alphabet) and the multibase `z` prefix used by Multikey and proofValue."""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Two digits at a time halve the big-number divisions of a 64-byte signature.
_DIGIT_PAIRS = [high + low for high in ALPHABET for low in ALPHABET]
_ALPHABET_BYTES = ALPHABET.encode("ascii")
_DIGIT_VALUES = bytes.maketrans(_ALPHABET_BYTES, bytes(range(58)))


def b58encode(data: bytes) -> str:
    """Return `data` in base58btc; each leading zero byte becomes a leading '1'."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    pairs = []
    while number:
        number, remainder = divmod(number, 58 * 58)
        pairs.append(_DIGIT_PAIRS[remainder])
    pairs.reverse()
    # The first pair may start with a zero digit ('1') that is not part of the number.
    return "1" * zeros + "".join(pairs).lstrip("1")


def b58decode(text: str) -> bytes:
    """Return the bytes of a base58btc string; raises ValueError naming a bad character."""
    raw = text.encode("ascii", "replace")
    if raw.translate(None, _ALPHABET_BYTES):
        bad = next(ch for ch in text if ch not in _INDEX)
        raise ValueError(f"{bad!r} is not a base58btc character")
    number = 0
    for digit in raw.translate(_DIGIT_VALUES):
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Return `data` as a multibase base58btc string (`z...`)."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    """Return the bytes of a multibase base58btc string; other multibase encodings are refused."""
    if not text.startswith("z"):
        raise ValueError(
            f"expected a base58btc multibase value starting with 'z', got {text[:8]!r}"
        )
    return b58decode(text[1:])
