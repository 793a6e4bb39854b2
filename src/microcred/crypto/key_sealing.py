"""Private keys at rest: sealed with AES-256-GCM under a key-encryption key (KEK).

The KEK comes from the ``kek`` setting (`MICROCRED_KEK`, base64 of 32 bytes), else from the
file the ``kek_file`` setting names (32 raw bytes, or base64 of them), else from ``kek.key`` in
the installation's data folder (`find_kek` says which). A sealed blob opens only with the same
KEK; a wrong KEK or a changed byte raises `SealError`, never returns a different key.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import decode_secret_key, encode_secret_key

_MAGIC = b"MCK1"
_AAD = b"microcred sealed private key v1"
_NONCE_BYTES = 12
# The installation's own KEK file in the data folder, used when no KEK is configured.
KEK_FILE = "kek.key"


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


def load_kek(kek: str = "", kek_file: str = "") -> bytes:
    """Return the KEK given as base64 text, else read from ``kek_file``; `SealError` names the
    fix."""
    if kek:
        return _decode_kek(kek, "MICROCRED_KEK")
    if kek_file:
        try:
            data = Path(kek_file).read_bytes()
        except OSError as error:
            raise SealError(
                f"MICROCRED_KEK_FILE {kek_file!r} cannot be read: {error.strerror}"
            ) from error
        return data if len(data) == 32 else _decode_kek(data.decode("ascii", "replace"), kek_file)
    raise SealError(
        "no key-encryption key: set MICROCRED_KEK to base64 of 32 random bytes "
        "(e.g. `python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())'`) "
        "or MICROCRED_KEK_FILE to a file holding them"
    )


def find_kek(kek: str, kek_file: str, data_dir: Path) -> tuple[bytes | None, str]:
    """Return the KEK to use and where it comes from: ``kek``, else ``kek_file``, else the
    installation's ``data_dir/kek.key`` (None while that file does not exist).

    `SealError` says what is wrong with a KEK that is configured but unusable.
    """
    if kek:
        return load_kek(kek=kek), "MICROCRED_KEK"
    if kek_file:
        return load_kek(kek_file=kek_file), f"MICROCRED_KEK_FILE {kek_file}"
    path = data_dir / KEK_FILE
    if not path.exists():
        return None, str(path)
    return load_kek(kek_file=str(path)), str(path)
