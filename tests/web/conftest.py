"""The pages under test: the real app on a temporary SQLite file, through a TestClient."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from api.app_fixtures import INSTITUTION, app, client
from microcred.domain.examples import example_specification
from microcred.store.records import SpecificationRecord

__all__ = ["app", "client", "stored"]


@pytest.fixture
def stored(app: FastAPI) -> SpecificationRecord:
    """The compliant example, saved as a draft."""
    record: SpecificationRecord = app.state.catalogue.create(INSTITUTION, example_specification())
    return record
