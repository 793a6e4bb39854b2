"""Where microcred keeps its data and how it is reached, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "microcred"


def default_database_url() -> str:
    url = os.environ.get("MICROCRED_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{default_data_dir() / 'microcred.db'}"


@dataclass(frozen=True)
class Settings:
    """The effective configuration of one microcred process."""

    database_url: str = field(default_factory=default_database_url)
    base_url: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_BASE_URL", "http://127.0.0.1:8000")
    )
    secret_key: str = field(default_factory=lambda: os.environ.get("MICROCRED_SECRET_KEY", ""))
    eslp_min_eqf: int = field(
        default_factory=lambda: int(os.environ.get("MICROCRED_ESLP_MIN_EQF", "5"))
    )
