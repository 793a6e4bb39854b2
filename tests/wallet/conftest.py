"""Fixtures for the wallet tests: the real app served by uvicorn on a loopback port, with a
published specification and one award, and a holder (wallet) that talks to it over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from holder import Holder
from live_server import LiveServer

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, add_staff, api_token
from microcred.app import create_app
from microcred.config import Settings
from microcred.services.award_input import LearnerInput
from microcred.services.awards import Awards
from served import free_port, served
from support.examples import example_specification

GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
LEARNER = LearnerInput(
    name="Jana Nowak",
    email="jana.nowak@example.org",
    institutional_id="S-4711",
    date_of_birth=date(1990, 5, 17),
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'microcred.db'}",
        secret_key="test-key",
        base_url=base_url,
    )
    app = create_app(settings, migrate=True)
    catalogue = app.state.catalogue
    catalogue.ensure_institution(INSTITUTION, {"en": "TH Lahntal"}, GERMANY)
    add_staff(app, STAFF_EMAIL, "administrator", INSTITUTION)
    spec_id = catalogue.publish(catalogue.create(INSTITUTION, example_specification()).id).id
    live = LiveServer(base_url, app, "", api_token(app, STAFF_EMAIL))
    award = Awards(app.state.database, live.issuer(), settings).award(
        spec_id, None, LEARNER, grade="1.7", awarded_on=date(2025, 3, 1)
    )
    live.award_id = award.id
    with served(app, port):
        yield live


@pytest.fixture
def holder() -> Iterator[Holder]:
    wallet = Holder()
    yield wallet
    wallet.http.close()
