"""Fixtures for the wallet tests: the real app served by uvicorn on a loopback port, with a
published specification and one award, and a holder (wallet) that talks to it over HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from holder import Holder
from live_server import LiveServer

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, add_staff, api_token
from microcred.app import create_app
from microcred.config import Settings
from microcred.domain.examples import example_specification
from microcred.services.award_input import LearnerInput
from microcred.services.awards import Awards

GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"
LEARNER = LearnerInput(
    name="Jana Nowak",
    email="jana.nowak@example.org",
    institutional_id="S-4711",
    date_of_birth=date(1990, 5, 17),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    port = _free_port()
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
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield live
    finally:
        uvicorn_server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def holder() -> Iterator[Holder]:
    wallet = Holder()
    yield wallet
    wallet.http.close()
