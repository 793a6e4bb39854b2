"""Fixtures for tests that run the real app on a temporary SQLite file (API, pages, browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.services.accounts import Accounts
from microcred.services.api_tokens import ApiTokens
from support.examples import example_specification

INSTITUTION = "th-lahntal"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
STAFF_EMAIL = "staff@th-lahntal.example"
STAFF_PASSWORD = "correct horse battery staple"
OPERATOR_EMAIL = "operator@microcred.example"
ALL_SCOPES = ["read", "design", "issue", "revoke", "recognise", "admin"]


def app_on_sqlite(database_file: Path, **settings_overrides: Any) -> FastAPI:
    """Return the app on a new SQLite file, with one institution, INSTITUTION, and its
    administrator STAFF_EMAIL (password STAFF_PASSWORD); settings as given, else the defaults."""
    settings = Settings(
        database_url=f"sqlite:///{database_file}", secret_key="test-key", **settings_overrides
    )
    app = create_app(settings, migrate=True)
    app.state.catalogue.ensure_institution(INSTITUTION, {"en": "TH Lahntal"}, GERMANY)
    add_staff(app, STAFF_EMAIL, "administrator", INSTITUTION)
    return app


def add_staff(
    app: FastAPI, email: str, role: str, institution: str, password: str = STAFF_PASSWORD
) -> None:
    """Create the account ``email`` holding ``role`` at ``institution``."""
    accounts = Accounts(app.state.database)
    accounts.create_user(email, password=password, actor="test setup")
    accounts.add_role(email, institution, role, actor="test setup")


def api_token(app: FastAPI, email: str, scopes: list[str] = ALL_SCOPES) -> str:
    """Return a new API token of ``email`` with ``scopes``."""
    return ApiTokens(app.state.database).create(email, "tests", scopes, actor="test setup").value


def log_in(client: TestClient, email: str = STAFF_EMAIL, password: str = STAFF_PASSWORD) -> None:
    """Sign ``client`` in through the login form (it keeps the session cookie)."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the login page has no CSRF field"
    form = {"csrf_token": token.group(1), "email": email, "password": password}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_on_sqlite(tmp_path / "microcred.db")


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the API acting for the institution's administrator (a token, all scopes)."""
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {api_token(app, STAFF_EMAIL)}"
        yield client


@pytest.fixture
def operator_client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the API acting for the instance operator (a token, all scopes)."""
    Accounts(app.state.database).create_user(OPERATOR_EMAIL, operator=True, actor="test setup")
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {api_token(app, OPERATOR_EMAIL)}"
        yield client


@pytest.fixture
def compliant_document() -> dict[str, Any]:
    return example_specification().model_dump(mode="json", exclude_none=True)
