"""The CSRF signing key: from the settings, else a key file made once per installation."""

from __future__ import annotations

import stat
from pathlib import Path

from microcred.config import Settings
from microcred.web.secret_key import KEY_FILE, secret_key


def test_the_configured_key_is_used_and_no_file_is_written(tmp_path: Path) -> None:
    assert secret_key(Settings(secret_key="from-the-environment"), tmp_path) == (
        "from-the-environment"
    )
    assert not (tmp_path / KEY_FILE).exists()


def test_without_a_configured_key_one_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = secret_key(Settings(secret_key=""), tmp_path)
    second = secret_key(Settings(secret_key=""), tmp_path)
    assert first == second
    assert len(first) >= 32
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
