"""Multikey encoding: a multicodec prefix plus the raw key, written as multibase base58btc ('z...').

`z6Mk...` is an Ed25519 public key, `zDna...` a P-256 one, `z82L...` a P-384 one.
"""

from __future__ import annotations

from microcred.crypto.base58 import multibase_decode, multibase_encode
from microcred.crypto.keys import ED25519, P256, P384, PrivateKey, PublicKey

# multicodec code → varint bytes: ed25519-pub 0xed, p256-pub 0x1200, p384-pub 0x1201
_PUBLIC_PREFIXES = {ED25519: b"\xed\x01", P256: b"\x80\x24", P384: b"\x81\x24"}
# ed25519-priv 0x1300, p256-priv 0x1306, p384-priv 0x1307
_SECRET_PREFIXES = {ED25519: b"\x80\x26", P256: b"\x86\x26", P384: b"\x87\x26"}


def _split(data: bytes, prefixes: dict[str, bytes], what: str) -> tuple[str, bytes]:
    for algorithm, prefix in prefixes.items():
        if data.startswith(prefix):
            return algorithm, data[len(prefix) :]
    raise ValueError(f"unsupported multicodec prefix {data[:2].hex()} for a {what}")


def encode_public_key(key: PublicKey) -> str:
    """Return the `publicKeyMultibase` of a public key."""
    return multibase_encode(public_key_multicodec(key))


def decode_public_key(multibase: str) -> PublicKey:
    """Return the public key of a `publicKeyMultibase` value."""
    return public_key_from_multicodec(multibase_decode(multibase))


def public_key_multicodec(key: PublicKey) -> bytes:
    """Return the multicodec-prefixed public key (a Multikey before its multibase encoding)."""
    return _PUBLIC_PREFIXES[key.algorithm] + key.to_bytes()


def public_key_from_multicodec(data: bytes) -> PublicKey:
    """Return the public key of multicodec-prefixed bytes; raises ValueError for anything else."""
    algorithm, raw = _split(data, _PUBLIC_PREFIXES, "public key")
    return PublicKey.from_bytes(algorithm, raw)


def encode_secret_key(key: PrivateKey) -> bytes:
    """Return the multicodec-prefixed secret (not multibase: this never leaves a sealed blob)."""
    return _SECRET_PREFIXES[key.algorithm] + key.secret_bytes()


def decode_secret_key(data: bytes) -> PrivateKey:
    """Return the private key of multicodec-prefixed secret bytes."""
    algorithm, raw = _split(data, _SECRET_PREFIXES, "secret key")
    return PrivateKey.from_secret_bytes(algorithm, raw)


def decode_secret_multibase(multibase: str) -> PrivateKey:
    """Return the private key of a `secretKeyMultibase` value (as in the W3C test vectors)."""
    return decode_secret_key(multibase_decode(multibase))
