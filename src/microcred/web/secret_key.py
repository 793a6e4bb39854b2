"""The key that signs CSRF tokens: from the settings, else one generated per installation."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from microcred.config import Settings, default_data_dir

KEY_FILE = "secret.key"


def secret_key(settings: Settings, data_dir: Path | None = None) -> str:
    """Return ``settings.secret_key``, or the installation's key file (created on first use)."""
    if settings.secret_key:
        return settings.secret_key.get_secret_value()
    path = (data_dir or default_data_dir()) / KEY_FILE
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    # O_EXCL: if two processes start at once, the second reads what the first wrote.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as key_file:
        key_file.write(key)
    return key
