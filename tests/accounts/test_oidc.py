"""Single sign-on against a small OpenID provider on loopback: the whole redirect dance."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accounts.conftest import BASE_URL, DESIGNER_A, World, browser_client, make_app
from accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, running_provider
from microcred.services.audit import events_for


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def sso_app(world: World, provider: Provider) -> FastAPI:
    return make_app(
        world.app.state.database,
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
    )


def sign_in(client: TestClient) -> httpx.Response:
    """Follow the dance: our app → the provider → back to our callback; return the last answer."""
    leaving = client.get("/login/oidc?next=/account", follow_redirects=False)
    assert leaving.status_code == 303
    sent = parse_qs(urlsplit(leaving.headers["location"]).query)
    assert sent["code_challenge_method"] == ["S256"] and sent["nonce"] and sent["state"]
    assert sent["redirect_uri"] == [f"{BASE_URL}/login/oidc/callback"]
    at_provider = httpx.get(leaving.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 303, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def test_single_sign_on_links_the_verified_email_and_signs_in(sso_app: FastAPI) -> None:
    with browser_client(sso_app) as client:
        answer = sign_in(client)
        assert answer.status_code == 303 and answer.headers["location"] == "/account"
        assert DESIGNER_A in client.get("/account").text
    [linked] = [
        event
        for event in events_for(sso_app.state.database, f"user:{DESIGNER_A}")
        if event.action == "account.link-oidc"
    ]
    assert linked.details["subject"] == "subject-0001"


def test_an_id_token_signed_with_another_key_is_refused(
    sso_app: FastAPI, provider: Provider
) -> None:
    provider.sign_with_unpublished_key = True
    with browser_client(sso_app) as client:
        answer = sign_in(client)
        assert answer.status_code == 403
        assert "signature does not verify" in answer.text
        assert client.get("/account", follow_redirects=False).status_code == 303


def test_an_id_token_with_another_nonce_is_refused(sso_app: FastAPI, provider: Provider) -> None:
    provider.nonce_override = "a-nonce-from-another-login"
    with browser_client(sso_app) as client:
        answer = sign_in(client)
    assert answer.status_code == 403
    assert "nonce is not the one this login sent" in answer.text


def test_a_callback_with_a_forged_state_is_refused(sso_app: FastAPI) -> None:
    with browser_client(sso_app) as client:
        client.get("/login/oidc", follow_redirects=False)
        answer = client.get("/login/oidc/callback?code=x&state=forged", follow_redirects=False)
    assert answer.status_code == 403
    assert "state differs" in answer.text


def test_an_unverified_email_links_no_account(sso_app: FastAPI, provider: Provider) -> None:
    provider.email_verified = False
    with browser_client(sso_app) as client:
        answer = sign_in(client)
    assert answer.status_code == 403
    assert "ask an administrator" in answer.text


def test_without_settings_single_sign_on_is_off(world: World) -> None:
    with browser_client(world.app) as client:
        assert client.get("/login/oidc", follow_redirects=False).status_code == 404
        assert "single sign-on" not in client.get("/login").text
