"""The key-encryption key (KEK) that seals issuer keys: from the environment, else an install file.

`MICROCRED_KEK` or `MICROCRED_KEK_FILE` win. Without either, a random KEK is written once to
``kek.key`` in the data directory (mode 0600) and the log says so, naming the file and never
the key. Losing that file means losing every issuer key sealed under it: back it up.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from microcred.crypto.key_sealing import SealError, load_kek

KEK_FILE = "kek.key"

log = logging.getLogger(__name__)


def install_kek(data_dir: Path, environ: Mapping[str, str] | None = None) -> bytes:
    """Return the KEK from the environment, else from (a newly made) ``data_dir/kek.key``."""
    env = os.environ if environ is None else environ
    if env.get("MICROCRED_KEK") or env.get("MICROCRED_KEK_FILE"):
        return load_kek(env)
    path = data_dir / KEK_FILE
    if not path.exists():
        _create(path)
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users; restrict it with 'chmod 600 %s'", path, path)
    return load_kek({"MICROCRED_KEK_FILE": str(path)})


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
        "(mode 0600). Issuer keys are sealed with it; back it up, or set MICROCRED_KEK.",
        path,
    )
