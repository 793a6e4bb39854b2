"""Fixtures for the account tests: the app on SQLite and PostgreSQL with two institutions, A and
B, their staff, and specifications of B (a published one and a draft)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import add_staff, api_token, log_in
from microcred.app import create_app
from microcred.config import Settings
from microcred.services.accounts import Accounts
from microcred.store.database import Database
from support.examples import example_specification

A, B = "uni-a", "uni-b"
DESIGNER_A, REGISTRAR_A, DESIGNER_B = (
    "designer@a.example",
    "registrar@a.example",
    "designer@b.example",
)
OPERATOR = "operator@instance.example"
BASE_URL = "https://credentials.example"


@dataclass(frozen=True)
class World:
    """The app, and the ids of B's specifications."""

    app: FastAPI
    b_published: str
    b_draft: str
    a_published: str


def make_app(database: Database, **settings: str) -> FastAPI:
    defaults = {"base_url": BASE_URL, "secret_key": "test-key", "api_token": ""}
    app = create_app(Settings(database_url=str(database.url), **{**defaults, **settings}), database)
    return app


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())


@pytest.fixture
def world(database: Database) -> World:
    app = make_app(database)
    catalogue = app.state.catalogue
    for slug in (A, B):
        catalogue.ensure_institution(slug, {"en": f"University {slug[-1].upper()}"})
    add_staff(app, DESIGNER_A, "designer", A)
    add_staff(app, REGISTRAR_A, "registrar", A)
    add_staff(app, DESIGNER_B, "designer", B)
    Accounts(database).create_user(OPERATOR, operator=True, actor="test setup")
    spec = example_specification()
    b_published = catalogue.publish(catalogue.create(B, spec).id).id
    b_draft = catalogue.create(B, spec).id
    a_published = catalogue.publish(catalogue.create(A, spec).id).id
    return World(app, b_published, b_draft, a_published)


def browser_client(app: FastAPI) -> TestClient:
    """Return a client on https, as the app's base URL is (its session cookie is Secure)."""
    return TestClient(app, base_url="https://testserver")


def client_with_token(app: FastAPI, email: str, scopes: list[str]) -> TestClient:
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {api_token(app, email, scopes)}"
    return client


@pytest.fixture
def anonymous(world: World) -> Iterator[TestClient]:
    with TestClient(world.app) as client:
        yield client


@pytest.fixture
def designer_a_browser(world: World) -> Iterator[TestClient]:
    with browser_client(world.app) as client:
        log_in(client, DESIGNER_A)
        yield client
