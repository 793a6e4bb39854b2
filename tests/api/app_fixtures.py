"""Fixtures for tests that run the real app on a temporary SQLite file (API, pages, browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.domain.examples import example_specification

INSTITUTION = "th-lahntal"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"


def app_on_sqlite(database_file: Path) -> FastAPI:
    """Return the app on a new SQLite file, with one institution, INSTITUTION."""
    settings = Settings(database_url=f"sqlite:///{database_file}", secret_key="test-key")
    app = create_app(settings)
    app.state.catalogue.ensure_institution(INSTITUTION, {"en": "TH Lahntal"}, GERMANY)
    return app


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_on_sqlite(tmp_path / "microcred.db")


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def compliant_document() -> dict[str, Any]:
    return example_specification().model_dump(mode="json", exclude_none=True)
