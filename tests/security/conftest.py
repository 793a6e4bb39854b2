"""Fixtures for the security tests: the real app on a temporary SQLite file, a KEK, Redis."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from api.app_fixtures import app_on_sqlite

KEK = bytes(range(32))
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_on_sqlite(tmp_path / "microcred.db")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the real Redis; its keys are deleted afterwards."""
    import redis

    prefix = f"microcred-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()
