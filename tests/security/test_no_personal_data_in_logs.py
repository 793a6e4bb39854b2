"""Logs carry no secrets and no personal data through an issue, a claim and a sign-in."""

from __future__ import annotations

import base64
import logging
import re

import pytest
from fastapi.testclient import TestClient

from api.app_fixtures import add_staff, api_token
from delivery.conftest import KEK, Inbox, mail_server, make_world  # noqa: F401  (a fixture)
from delivery.delivery_support import confirm_claim
from microcred.store.database import Database

LEARNER, LEARNER_EMAIL = "Jana Nowak", "jana.nowak@example.org"
# The test's own SMTP server and HTTP client log what they receive and send; they are not ours.
TEST_HARNESS_LOGGERS = ("mail.log", "httpx")
STAFF, STAFF_PASSWORD = "registrar@th-lahntal.example", "a long and secret passphrase"


def test_an_issue_claim_and_sign_in_flow_logs_no_personal_data_or_secret(
    database: Database,
    mail_server: Inbox,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = make_world(database, mail_server, monkeypatch)
    add_staff(world.app, STAFF, "registrar", "th-lahntal", password=STAFF_PASSWORD)
    with caplog.at_level(logging.DEBUG), world.client:
        world.award(name=LEARNER, email_address=LEARNER_EMAIL)
        claim = confirm_claim(world)
        code = re.findall(r"^\s+(\d{6})\s*$", str(mail_server.messages[1]), re.MULTILINE)
        browser = TestClient(world.app, base_url="https://testserver")
        page = browser.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf
        for password in ("wrong password guess", STAFF_PASSWORD):
            browser.post(
                "/login",
                data={"csrf_token": csrf.group(1), "email": STAFF, "password": password},
                follow_redirects=False,
            )
        session = browser.cookies.get("microcred_session") or ""
        token = api_token(world.app, STAFF, ["read", "issue"])
        world.client.get("/api/specifications", headers={"Authorization": f"Bearer {token}"})
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
        if not record.name.startswith(TEST_HARNESS_LOGGERS)
    )
    assert caplog.records, "the flow logs something (or this test would prove nothing)"
    secrets = {
        "learner's e-mail": LEARNER_EMAIL,
        "learner's name": LEARNER,
        "staff e-mail": STAFF,
        "password": STAFF_PASSWORD,
        "wrong password": "wrong password guess",
        "claim token": claim.rsplit("/", 1)[-1],
        "API token": token,
        "KEK": base64.b64encode(KEK).decode(),
        **{f"one-time code {n}": c for n, c in enumerate(code)},
        **({"session id": session} if session else {}),
    }
    for what, value in secrets.items():
        assert value not in logged, f"the {what} reached the log"
