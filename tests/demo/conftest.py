"""The demo as `microcred demo` makes it: catalogue, accounts and awards, on an app in demo mode.

``seeded`` seeds a fresh SQLite database through the same services the command uses, with
e-mail going to the demo outbox. ``demo_client`` serves it in demo mode; ``normal_client``
serves the same database without demo mode, as a real deployment would.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_support import BASE_URL, Seeded, demo_settings, seed
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.store.database import Database


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    database = Database(url)
    create_app(demo_settings(url), database, migrate=True)  # migrates the fresh file
    return seed(database, demo_settings(url))


def client_for(seeded: Seeded, demo_mode: bool) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(demo_settings(str(seeded.database.url), demo_mode), seeded.database)
    with TestClient(app, base_url=BASE_URL) as client:
        yield app, client


@pytest.fixture
def demo_client(seeded: Seeded) -> Iterator[TestClient]:
    for _app, client in client_for(seeded, demo_mode=True):
        yield client


@pytest.fixture
def normal_client(seeded: Seeded) -> Iterator[TestClient]:
    for _app, client in client_for(seeded, demo_mode=False):
        yield client
