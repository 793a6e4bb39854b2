"""The Alembic migrations shape the schema; the table definitions and the migration agree."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from microcred.store.all_tables import metadata
from microcred.store.database import Database

# These tests are about the migrations themselves: they run them, never the copy of their result.
pytestmark = pytest.mark.real_migrations

TABLES = {"institutions", "specifications", "specification_versions"}


def test_empty_database_is_not_current(fresh_database_url: str) -> None:
    db = Database(fresh_database_url)
    try:
        assert db.is_current() is False
        assert db.current_revision() is None
    finally:
        db.dispose()


def test_upgrade_creates_every_table_and_makes_the_database_current(
    fresh_database_url: str,
) -> None:
    db = Database(fresh_database_url)
    try:
        db.upgrade()
        assert db.is_current() is True
        assert set(sa.inspect(db.engine).get_table_names()) >= TABLES
    finally:
        db.dispose()


def test_migrated_schema_matches_the_table_definitions(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_upgrading_a_current_database_again_changes_nothing(database: Database) -> None:
    revision = database.current_revision()
    database.upgrade()
    assert database.current_revision() == revision
    assert database.is_current() is True


def test_sqlite_directory_is_created_on_demand(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there" / "microcred.db"
    db = Database(f"sqlite:///{path}")
    try:
        db.upgrade()
        assert path.is_file()
    finally:
        db.dispose()


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'microcred.db'}")
    try:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.dispose()


def test_database_url_comes_from_the_environment_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("MICROCRED_DATABASE_URL", url)
    db = Database()
    try:
        assert db.url.database == str(tmp_path / "from-env.db")
    finally:
        db.dispose()


def test_alembic_config_keeps_percent_escapes_in_the_url() -> None:
    db = Database("postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dx")
    try:
        url = db.alembic_config().get_main_option("sqlalchemy.url")
        assert url == "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dx"
    finally:
        db.dispose()
