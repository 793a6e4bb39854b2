"""The key-encryption key of this installation, as the settings and the data folder give it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from microcred.config import Settings, current_settings, default_data_dir
from microcred.crypto.key_encryption_key import install_kek
from microcred.store.database import Database
from microcred.store.sealed_keys import holds_sealed_keys


def installed_kek(
    where: Database | Session, settings: Settings | None = None, data_dir: Path | None = None
) -> bytes:
    """Return the KEK (see `install_kek`); ``where`` is the database, or the caller's open
    transaction, in which stored sealed keys are looked for when no KEK is found."""
    settings = settings or current_settings()

    def sealed_keys_exist() -> bool:
        if isinstance(where, Database):
            with where.transaction(write=False) as session:
                return holds_sealed_keys(session)
        return holds_sealed_keys(where)

    return install_kek(
        settings.kek.get_secret_value(),
        settings.kek_file,
        data_dir or default_data_dir(),
        sealed_keys_exist,
    )
