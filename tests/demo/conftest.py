"""The demo as `microcred demo` makes it: catalogue, accounts and awards, on an app in demo mode.

``demo_site`` seeds a fresh SQLite database through the same services the command uses, with
e-mail going to the demo outbox, and serves it through a test client. ``normal_site`` is the
same seeded database served without demo mode, as a real deployment would be.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.services.accounts import Accounts
from microcred.services.app_awards import app_awards
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.demo import demo_institutions, seed_demo
from microcred.services.demo_accounts import DemoAccount, seed_demo_accounts
from microcred.services.demo_awards import DemoAwardsResult, seed_demo_awards
from microcred.services.pathways import Pathways, app_pathways
from microcred.store.database import Database

BASE_URL = "http://testserver"


@dataclass
class Seeded:
    database: Database
    settings: Settings
    awards: Awards
    pathways: Pathways
    accounts: list[DemoAccount]
    result: DemoAwardsResult

    def password_of(self, email: str) -> str:
        return next(account.password for account in self.accounts if account.email == email)


def seed(database: Database, settings: Settings) -> Seeded:
    """Seed everything `microcred demo` seeds, in its order; return what was made."""
    seed_demo(Catalogue(database))
    slugs = [institution.slug for institution in demo_institutions()]
    accounts = seed_demo_accounts(Accounts(database), slugs)
    awards = app_awards(database, settings)
    pathways = app_pathways(awards)
    result = seed_demo_awards(awards, pathways)
    return Seeded(database, settings, awards, pathways, accounts, result)


def demo_settings(url: str, demo_mode: bool = True) -> Settings:
    return Settings(
        database_url=url, base_url=BASE_URL, secret_key="demo-test-key", demo_mode=demo_mode
    )


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
