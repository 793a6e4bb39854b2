"""Fixtures for branding: the delivery world (app, SMTP inbox, a published specification of
TH Lahntal) plus a second institution and an administrator at each."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from delivery.conftest import BASE_URL, SLUG, Inbox, World, mail_server, make_world  # noqa: F401
from microcred.services.accounts import Accounts
from microcred.store.database import Database

OTHER_SLUG = "koivula"
PASSWORD = "correct horse battery staple"
ADMIN_A = "admin@th-lahntal.example"
ADMIN_B = "admin@koivula.example"


def png_logo(width: int = 120, height: int = 40, colour: str = "#8b0000") -> bytes:
    """Return a small PNG logo: a filled rectangle."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def world(
    database: Database,
    mail_server: Inbox,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    made = make_world(database, mail_server, monkeypatch)
    made.catalogue.ensure_institution(OTHER_SLUG, {"en": "Koivula University"})
    accounts = Accounts(database)
    for email, slug in ((ADMIN_A, SLUG), (ADMIN_B, OTHER_SLUG)):
        accounts.create_user(email, password=PASSWORD, actor="test")
        accounts.add_role(email, slug, "administrator", actor="test")
    with made.client:
        yield made


def signed_in_client(world: World, email: str) -> TestClient:
    """Return a new client of the world's app, signed in as ``email`` through the login form."""
    from api.app_fixtures import log_in

    client = TestClient(world.app, base_url=BASE_URL)
    log_in(client, email, PASSWORD)
    return client
