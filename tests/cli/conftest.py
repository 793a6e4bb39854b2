"""Fixtures for the command line: a runner with a wide terminal and a migrated SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from typer.testing import CliRunner

from microcred.cli.main import app
from support.examples import example_specification

Invoke = Callable[..., Result]


@pytest.fixture
def invoke() -> Invoke:
    """Run ``microcred ARGS...`` in-process; a wide terminal keeps table cells on one line."""
    runner = CliRunner(env={"COLUMNS": "240", "NO_COLOR": "1"})

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args))

    return run


@pytest.fixture
def db_url(tmp_path: Path, invoke: Invoke) -> str:
    """A SQLite database file migrated with ``microcred db upgrade``."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = invoke("--db", url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def compliant_file(tmp_path: Path) -> Path:
    """The shared compliant example specification, written as YAML."""
    path = tmp_path / "data-literacy.yaml"
    data = example_specification().model_dump(mode="json", exclude_defaults=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
