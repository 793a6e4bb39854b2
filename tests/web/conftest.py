"""The pages under test: the real app on a temporary SQLite file, through a TestClient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import INSTITUTION, app, log_in
from microcred.store.records import SpecificationRecord
from support.examples import example_specification

__all__ = ["app", "client", "stored"]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client signed in as the institution's administrator."""
    with TestClient(app) as client:
        log_in(client)
        yield client


@pytest.fixture
def stored(app: FastAPI) -> SpecificationRecord:
    """The compliant example, saved as a draft."""
    record: SpecificationRecord = app.state.catalogue.create(INSTITUTION, example_specification())
    return record
