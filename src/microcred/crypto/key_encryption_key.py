"""The key-encryption key (KEK) that seals private keys: configured, else an install file.

A configured KEK (the ``kek`` or ``kek_file`` setting, `MICROCRED_KEK`, `MICROCRED_KEK_FILE`)
wins. Without one, a fresh installation writes a random KEK once to ``kek.key`` in the data
directory (mode 0600) and the log says so, naming the file and never the key. Losing that file
means losing every key sealed under it: back it up.

A new KEK is made only while nothing sealed is stored: when sealed keys exist and no KEK is
found, a new one could never open them, so `install_kek` refuses and says what to set.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable
from pathlib import Path

from microcred.crypto.key_sealing import KEK_FILE, SealError, find_kek, load_kek

log = logging.getLogger(__name__)


def install_kek(
    kek: str, kek_file: str, data_dir: Path, sealed_keys_exist: Callable[[], bool]
) -> bytes:
    """Return the configured KEK (``kek``, else ``kek_file``), else ``data_dir/kek.key``, made
    on a fresh installation.

    ``sealed_keys_exist`` is asked only when no KEK is found. `SealError` names the fix when
    the configured KEK is unusable, or when sealed keys are stored but no KEK is found.
    """
    path = data_dir / KEK_FILE
    found, source = find_kek(kek, kek_file, data_dir)
    if found is None:
        if sealed_keys_exist():
            raise SealError(
                f"sealed keys are stored, but no key-encryption key is set and {path} does not "
                "exist: set MICROCRED_KEK or MICROCRED_KEK_FILE to the KEK they were sealed "
                "with (from your backup); a new KEK would not open them"
            )
        _create(path)
        return load_kek(kek_file=str(path))
    if source == str(path) and path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users; restrict it with 'chmod 600 %s'", path, path)
    return found


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start at once, the second uses what the first wrote.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as error:
        raise SealError(
            f"cannot create the key-encryption key file {path}: {error.strerror}; "
            "set MICROCRED_KEK or MICROCRED_KEK_FILE instead"
        ) from error
    with os.fdopen(descriptor, "w", encoding="ascii") as kek_file:
        kek_file.write(base64.b64encode(os.urandom(32)).decode("ascii") + "\n")
    log.warning(
        "No MICROCRED_KEK or MICROCRED_KEK_FILE is set: created the key-encryption key file %s "
        "(mode 0600). Keys are sealed with it; back it up, or set MICROCRED_KEK.",
        path,
    )
