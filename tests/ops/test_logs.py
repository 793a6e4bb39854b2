"""Log lines: one JSON object a line with request id and tenant, no personal data or secrets;
plain text when a person watches a terminal."""

from __future__ import annotations

import io
import json
import logging
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, api_token, app_on_sqlite
from microcred.config import Settings
from microcred.observability.log_format import configure_logging
from support.examples import example_specification

LEARNER = {"name": "Jana Nowak", "email": "jana.nowak@example.org"}
SECRET_KEY = "session-signing-secret-0123456789"


pytestmark = pytest.mark.usefixtures("kek")


def json_settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'microcred.db'}",
        secret_key=SECRET_KEY,
        log_format="json",
    )


def test_a_request_logs_one_json_line_with_its_id_tenant_and_route_but_no_personal_data(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    stream = io.StringIO()
    configure_logging(json_settings(tmp_path), stream)
    app = app_on_sqlite(tmp_path / "microcred.db")
    catalogue = app.state.catalogue
    spec_id = catalogue.publish(catalogue.create(INSTITUTION, example_specification()).id).id
    token = api_token(app, STAFF_EMAIL)
    with TestClient(app) as client:
        response = client.post(
            f"/api/specifications/{spec_id}/awards",
            json={"learner": LEARNER},
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "trace-42"},
        )
    assert response.status_code == 201, response.text
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    requests = [line for line in lines if line.get("event") == "http.request"]
    assert requests == [
        {
            "time": requests[0]["time"],
            "level": "info",
            "logger": "microcred.requests",
            "message": "POST /api/specifications/{spec_id}/awards 201",
            "event": "http.request",
            "method": "POST",
            "route": "/api/specifications/{spec_id}/awards",
            "status": 201,
            "duration_ms": requests[0]["duration_ms"],
            "request_id": "trace-42",
            "tenant": INSTITUTION,
        }
    ]
    assert requests[0]["time"].endswith("Z")
    everything = stream.getvalue()
    for private in (LEARNER["email"], LEARNER["name"], STAFF_EMAIL, token, spec_id):
        assert private not in everything


def test_a_secret_in_a_message_is_masked(tmp_path: Path, root_logger: logging.Logger) -> None:
    stream = io.StringIO()
    configure_logging(json_settings(tmp_path), stream)
    logging.getLogger("microcred.test").warning("connecting with %s", SECRET_KEY)
    line = json.loads(stream.getvalue())
    assert line["message"] == "connecting with ********"
    assert SECRET_KEY not in stream.getvalue()


def test_plain_text_when_standard_error_is_a_terminal(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    controller, terminal = os.openpty()
    with os.fdopen(terminal, "w") as stream:
        settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", log_format="auto")
        configure_logging(settings, stream)
        logging.getLogger("microcred.test").warning("the queue is long")
        stream.flush()
        written = os.read(controller, 4096).decode()
    os.close(controller)
    assert "WARNING microcred.test: the queue is long" in written
    assert not written.lstrip().startswith("{")


def test_json_lines_when_standard_error_is_not_a_terminal(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    stream = io.StringIO()
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", log_format="auto")
    configure_logging(settings, stream)
    logging.getLogger("microcred.test").info("started")
    assert json.loads(stream.getvalue())["message"] == "started"
