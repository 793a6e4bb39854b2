"""A learner signs up: name and e-mail, a one-time code by e-mail (kept only as an HMAC in a
signed, expiring ticket), then a password; wrong codes and code requests are rate-limited."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from accounts.conftest import browser_client, make_app
from microcred.services.accounts import Accounts
from microcred.services.delivery.outbox import DEMO_OUTBOX
from microcred.services.signups import SignupError, Signups
from microcred.store.database import Database

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
EMAIL = "lea.berg@learner.example"
PASSWORD = "bees and honey 2026"


@pytest.fixture
def app(database: Database) -> FastAPI:
    return make_app(database, demo_mode="true")  # e-mail goes to the demo outbox


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with browser_client(app) as client:
        yield client


def form(client: TestClient, path: str, **fields: str):
    token = TOKEN.search(client.get("/signup").text).group(1)
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)


def mailed_code(email: str) -> str:
    message = next(m for m in DEMO_OUTBOX.messages() if m.to == email)
    return re.search(r"\b(\d{6})\b", message.text).group(1)


def test_sign_up_with_the_mailed_code_makes_a_signed_in_learner(client, database):
    started = form(client, "/signup", name="Lea Berg", email=EMAIL)
    assert started.status_code == 200 and "We sent a six-digit code" in started.text
    code = mailed_code(EMAIL)
    assert code not in client.cookies.get("microcred_signup", "")  # only an HMAC travels
    done = form(client, "/signup/confirm", code=code, password=PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/wallet"
    account = Accounts(database).get(EMAIL)
    assert account.display_name == "Lea Berg" and account.roles == {}
    assert client.get("/wallet").status_code == 200  # signed in


def test_a_wrong_code_makes_no_account_and_the_right_one_still_works(client, database):
    form(client, "/signup", name="Lea Berg", email=EMAIL)
    not_it = "000000" if mailed_code(EMAIL) != "000000" else "111111"
    wrong = form(client, "/signup/confirm", code=not_it, password=PASSWORD)
    assert wrong.status_code == 422 and "The code is not right" in wrong.text
    assert Accounts(database).list_users() == []
    right = form(client, "/signup/confirm", code=mailed_code(EMAIL), password=PASSWORD)
    assert right.status_code == 303


def test_a_weak_password_is_refused_and_the_code_can_be_used_again(client, database):
    form(client, "/signup", name="Lea Berg", email=EMAIL)
    weak = form(client, "/signup/confirm", code=mailed_code(EMAIL), password="short")
    assert weak.status_code == 422 and "Choose a longer password" in weak.text
    assert Accounts(database).list_users() == []


def test_an_existing_address_is_told_to_sign_in(client, database):
    Accounts(database).create_user(EMAIL, actor="test", password=PASSWORD)
    form(client, "/signup", name="Lea Berg", email=EMAIL)
    again = form(client, "/signup/confirm", code=mailed_code(EMAIL), password=PASSWORD + "!")
    assert again.status_code == 422 and "sign in instead" in again.text


def test_bad_input_is_explained_in_german(client):
    client.get("/signup?lang=de")
    response = form(client, "/signup", name="Lea", email="not-an-address")
    assert response.status_code == 422
    assert "Geben Sie eine E-Mail-Adresse" in response.text


def test_confirm_without_a_ticket_starts_again(client):
    response = form(client, "/signup/confirm", code="123456", password=PASSWORD)
    assert response.status_code == 400 and "Start again" in response.text


def test_wrong_codes_are_limited_per_address(app, client):
    app.state.rate_limits = type(app.state.rate_limits)(
        verify=app.state.rate_limits.verify,
        login_ip=app.state.rate_limits.login_ip,
        login_account=type(app.state.rate_limits.login_account)(3, 900),
    )
    form(client, "/signup", name="Lea Berg", email=EMAIL)
    answers = [form(client, "/signup/confirm", code="99999x", password=PASSWORD) for _ in range(4)]
    assert [a.status_code for a in answers] == [422, 422, 422, 429]
    # The right code is refused too, until the window ends: guessing gains nothing.
    late = form(client, "/signup/confirm", code=mailed_code(EMAIL), password=PASSWORD)
    assert late.status_code == 429


def test_an_expired_ticket_is_refused(database, monkeypatch):
    signups = Signups(Accounts(database), "test-key")
    sixteen_minutes_ago = int(time.time() - timedelta(minutes=16).total_seconds())
    with monkeypatch.context() as past:
        past.setattr(TimestampSigner, "get_timestamp", lambda self: sixteen_minutes_ago)
        stale, stale_code = signups.start(EMAIL, "Lea Berg")
    with pytest.raises(SignupError) as refused:
        signups.finish(stale, stale_code, PASSWORD)
    assert refused.value.kind == "expired"
    ticket, code = signups.start(EMAIL, "Lea Berg")
    assert signups.finish(ticket, code, PASSWORD).email == EMAIL
