"""Base58btc (the Bitcoin alphabet) and the multibase `z` prefix used by Multikey and proofValue."""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def b58encode(data: bytes) -> str:
    """Return `data` in base58btc; each leading zero byte becomes a leading '1'."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    chars = []
    while number:
        number, remainder = divmod(number, 58)
        chars.append(ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(chars))


def b58decode(text: str) -> bytes:
    """Return the bytes of a base58btc string; raises ValueError naming a bad character."""
    number = 0
    for ch in text:
        digit = _INDEX.get(ch)
        if digit is None:
            raise ValueError(f"{ch!r} is not a base58btc character")
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
