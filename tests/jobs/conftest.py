"""Fixtures for the job tests: a database with a published specification (see processes.py),
and a queue of the test's own on Redis and on RabbitMQ (brokers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from brokers import broker
from processes import Setup, published_setup

__all__ = ["broker", "setup"]


@pytest.fixture
def setup(fresh_database_url: str, tmp_path: Path) -> Iterator[Setup]:
    made = published_setup(fresh_database_url, tmp_path)
    yield made
    made.database.dispose()
