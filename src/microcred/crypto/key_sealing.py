"""Private keys at rest: sealed with AES-256-GCM under a key-encryption key (KEK).

The KEK comes from `MICROCRED_KEK` (base64 of 32 bytes) or from the file named by
`MICROCRED_KEK_FILE` (32 raw bytes, or base64 of them). A sealed blob opens only with the same
KEK; a wrong KEK or a changed byte raises `SealError`, never returns a different key.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import decode_secret_key, encode_secret_key

_MAGIC = b"MCK1"
_AAD = b"microcred sealed private key v1"
_NONCE_BYTES = 12


class SealError(ValueError):
    """A sealed key could not be opened (wrong KEK, damaged blob) or the KEK is unusable."""


def _check_kek(kek: bytes) -> None:
    if len(kek) != 32:
        raise SealError(f"the key-encryption key must be 32 bytes, got {len(kek)}")


def seal_private_key(key: PrivateKey, kek: bytes) -> bytes:
    """Return `key` encrypted under `kek`: magic, 12-byte nonce, AES-256-GCM ciphertext."""
    _check_kek(kek)
    nonce = os.urandom(_NONCE_BYTES)
    return _MAGIC + nonce + AESGCM(kek).encrypt(nonce, encode_secret_key(key), _AAD)


def open_private_key(blob: bytes, kek: bytes) -> PrivateKey:
    """Return the private key sealed in `blob`; raises `SealError` on a wrong KEK or damage."""
    _check_kek(kek)
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _NONCE_BYTES + 16:
        raise SealError("not a sealed microcred private key")
    nonce = blob[len(_MAGIC) : len(_MAGIC) + _NONCE_BYTES]
    try:
        secret = AESGCM(kek).decrypt(nonce, blob[len(_MAGIC) + _NONCE_BYTES :], _AAD)
    except InvalidTag as error:
        raise SealError(
            "the sealed key does not open with this KEK (wrong KEK or damaged blob)"
        ) from error
    return decode_secret_key(secret)


def _decode_kek(text: str, source: str) -> bytes:
    try:
        kek = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SealError(f"{source} is not valid base64") from error
    if len(kek) != 32:
        raise SealError(f"{source} must hold 32 bytes (base64), got {len(kek)}")
    return kek


def load_kek(environ: Mapping[str, str] | None = None) -> bytes:
    """Return the KEK from MICROCRED_KEK or MICROCRED_KEK_FILE; `SealError` names the fix."""
    env = os.environ if environ is None else environ
    if env.get("MICROCRED_KEK"):
        return _decode_kek(env["MICROCRED_KEK"], "MICROCRED_KEK")
    path = env.get("MICROCRED_KEK_FILE")
    if path:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise SealError(
                f"MICROCRED_KEK_FILE {path!r} cannot be read: {error.strerror}"
            ) from error
        return data if len(data) == 32 else _decode_kek(data.decode("ascii", "replace"), path)
    raise SealError(
        "no key-encryption key: set MICROCRED_KEK to base64 of 32 random bytes "
        "(e.g. `python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())'`) "
        "or MICROCRED_KEK_FILE to a file holding them"
    )
