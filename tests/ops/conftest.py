"""Fixtures for the operations tests: a database with a published specification and the
environment of `microcred` subprocesses (tests/jobs/processes.py), a queue of the test's own on
each broker (tests/jobs/brokers.py), and the root logger restored after a test configures
logging."""

from __future__ import annotations

import base64
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "jobs"))
sys.path.insert(0, str(Path(__file__).parents[1] / "awards"))
from brokers import broker  # noqa: E402
from processes import Setup, published_setup  # noqa: E402

from api.app_fixtures import app, client  # noqa: E402  (the app on SQLite, an admin's client)

__all__ = ["app", "broker", "client", "kek", "root_logger", "setup"]


@pytest.fixture
def setup(fresh_database_url: str, tmp_path: Path) -> Iterator[Setup]:
    made = published_setup(fresh_database_url, tmp_path)
    yield made
    made.database.dispose()


@pytest.fixture
def kek(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fixed KEK in the environment, and the data directory in the test's folder."""
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, its handlers and level put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
