"""The staff and learner pages of stacking, recognition and wallets, on the real app.

Two institutions, each with a designer and a recognition officer; a learner without a role;
published specifications at TH Lahntal to stack (two components of 5 ECTS, a target of 15
ECTS) and one at Koivula. The app's base URL is the test client's, so a wallet driven through
the same client reaches it as a phone would reach a live server.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from gaps_support import (
    KOIVULA,
    LAHNTAL,
    LEARNER,
    People,
    Site,
    publish,
)

from microcred.app import create_app
from microcred.config import Settings


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'gaps.db'}",
        secret_key="web-gaps-key",
        base_url="http://testserver",
    )
    app = create_app(settings, migrate=True)
    catalogue = app.state.catalogue
    germany = "http://publications.europa.eu/resource/authority/country/DEU"
    finland = "http://publications.europa.eu/resource/authority/country/FIN"
    catalogue.ensure_institution(LAHNTAL, {"en": "TH Lahntal"}, germany)
    catalogue.ensure_institution(KOIVULA, {"en": "Koivula UAS"}, finland)
    people = People(app)
    for slug in (LAHNTAL, KOIVULA):
        people.staff(f"designer@{slug}.example", "designer", slug)
        people.staff(f"officer@{slug}.example", "recognition-officer", slug)
    people.staff(f"registrar@{LAHNTAL}.example", "registrar", LAHNTAL)
    people.learner(LEARNER)
    return Site(
        app=app,
        cleaning=publish(app, LAHNTAL, "Data cleaning", 5),
        visualisation=publish(app, LAHNTAL, "Data visualisation", 5),
        data_science=publish(app, LAHNTAL, "Data science", 15),
        koivula_module=publish(app, KOIVULA, "Statistics", 5, isced="0542"),
    )


@pytest.fixture
def app(site: Site) -> FastAPI:
    return site.app


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client
