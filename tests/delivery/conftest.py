"""Fixtures for delivery: a real SMTP server on loopback, and an app that awards and e-mails.

- ``mail_server``: aiosmtpd on a free loopback port; ``.messages`` are the e-mails it received.
- ``world``: the app on the test database with an institution, a published specification
  (valid for three years), the awards service with the claim e-mail hook, and an HTTP client.
"""

from __future__ import annotations

import base64
import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.catalogue import Catalogue
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database
from served import free_port
from support.examples import example_specification
from waiting import wait_for

KEK = bytes(range(32))
BASE_URL = "https://credentials.th-lahntal.example"
SLUG = "th-lahntal"
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"


@dataclass
class Inbox:
    """The messages an SMTP server on loopback received."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Return the messages once there are at least ``count`` of them."""
        wait_for(lambda: len(self.messages) >= count, timeout, f"{count} e-mails", interval=0.02)
        return self.messages


@pytest.fixture
def mail_server() -> Iterator[Inbox]:
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def claim_path(message: EmailMessage, base_url: str = BASE_URL) -> str:
    found = re.search(re.escape(base_url) + r"(/claim/[A-Za-z0-9_-]+)", text_part(message))
    assert found, "the e-mail carries no claim link"
    return found.group(1)


def code_in(message: EmailMessage) -> str:
    found = re.search(r"^\s+(\d{6})\s*$", text_part(message), re.MULTILINE)
    assert found, "the e-mail carries no one-time code"
    return found.group(1)


@dataclass
class World:
    app: FastAPI
    client: TestClient
    awards: Awards
    catalogue: Catalogue
    issuer: CredentialIssuer
    settings: Settings
    spec_id: str
    inbox: Inbox

    def award(
        self,
        name: str = "Jana Nowak",
        email_address: str = "jana@example.org",
        language: str | None = None,
    ) -> AwardRecord:
        learner = LearnerInput(name=name, email=email_address, language=language)
        return self.awards.award(self.spec_id, None, learner, grade=None)


def settings_for(database: Database, smtp_port: int) -> Settings:
    return Settings(
        database_url=str(database.url),
        base_url=BASE_URL,
        secret_key="delivery-test-key",
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_from="credentials@th-lahntal.example",
        smtp_starttls=False,
    )


def make_world(database: Database, inbox: Inbox, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(KEK).decode())
    settings = settings_for(database, inbox.port)
    app = create_app(settings, database)
    catalogue: Catalogue = app.state.catalogue
    catalogue.ensure_institution(
        SLUG, {"en": "TH Lahntal", "de": "Technische Hochschule Lahntal"}, GERMANY
    )
    spec = example_specification().model_copy(update={"default_validity": "P3Y"})
    spec_id = catalogue.publish(catalogue.create(SLUG, spec).id).id
    issuer = CredentialIssuer(catalogue, IssuerKeys(database, settings), settings)
    awards = Awards(database, issuer, settings)
    awards.on_issued.append(ClaimMailer(catalogue, issuer.status, settings).on_issued)
    client = TestClient(app, base_url=BASE_URL)
    return World(app, client, awards, catalogue, issuer, settings, spec_id, inbox)


@pytest.fixture
def world(
    database: Database, mail_server: Inbox, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    made = make_world(database, mail_server, monkeypatch)
    with made.client:
        yield made
