"""The server starts only on the current schema, unless told to migrate."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcred.app import create_app
from microcred.cli.main import app
from microcred.config import Settings
from microcred.observability.schema import SchemaOutOfDate
from microcred.store.database import Database


def settings_on(tmp_path: Path, **values: object) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'microcred.db'}", **values)


def test_the_app_refuses_an_empty_schema_and_changes_nothing(tmp_path: Path) -> None:
    settings = settings_on(tmp_path)
    with pytest.raises(SchemaOutOfDate, match="run 'microcred db upgrade' first"):
        create_app(settings)
    assert Database(settings.database_url.get_secret_value()).current_revision() is None


def test_the_app_migrates_when_told_to(tmp_path: Path) -> None:
    create_app(settings_on(tmp_path), migrate=True)
    assert Database(settings_on(tmp_path).database_url.get_secret_value()).is_current()


def test_auto_migrate_in_the_settings_tells_it_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_AUTO_MIGRATE", "true")
    create_app(settings_on(tmp_path))
    assert Database(settings_on(tmp_path).database_url.get_secret_value()).is_current()


def test_serve_refuses_an_old_schema_naming_the_command_to_run(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    url = f"sqlite:///{tmp_path / 'microcred.db'}"
    Database(url).upgrade("0001_catalogue")
    result = CliRunner().invoke(app, ["--db", url, "serve"], env={"COLUMNS": "300"})
    assert result.exit_code == 2
    assert "has schema 0001_catalogue" in result.output
    assert "run 'microcred db upgrade' first, or start with --migrate" in result.output
    assert Database(url).current_revision() == "0001_catalogue"
