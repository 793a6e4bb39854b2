"""CSRF: a form token works only with the session it was made for, and only from this site."""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import csrf_token, example_form, form_body

from api.app_fixtures import app_on_sqlite, log_in
from microcred.http.auth import SESSION_COOKIE
from microcred.web.csrf import COOKIE_NAME, SECURE_COOKIE_NAME

BASE_URL = "http://cred.example:8000"  # the public base URL; the test client is testserver


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    """The app with a base URL other than the address the test client sends requests to."""
    return app_on_sqlite(tmp_path / "csrf.db", base_url=BASE_URL)


@pytest.fixture
def other_visitor(app: FastAPI) -> Iterator[TestClient]:
    """A second browser signed in to the same account: another session, another cookie."""
    with TestClient(app) as client:
        log_in(client)
        yield client


def _save_draft(client: TestClient, token: str, **headers: str) -> int:
    fields = [*example_form(), ("csrf_token", token)]
    response = client.post(
        "/designer", data=form_body(fields), headers=headers, follow_redirects=False
    )
    return response.status_code


def _csrf_cookie(response_headers: list[str], name: str) -> SimpleCookie:
    [header] = [value for value in response_headers if value.startswith(name + "=")]
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(header)
    return cookie


def test_token_and_cookie_of_another_session_are_refused(
    client: TestClient, other_visitor: TestClient, app: FastAPI
) -> None:
    their_token = csrf_token(other_visitor)
    their_cookie = other_visitor.cookies[COOKIE_NAME]
    csrf_token(client)
    assert _save_draft(client, their_token) == 403  # with this browser's own cookie
    client.cookies.delete(COOKIE_NAME)
    client.cookies.set(COOKIE_NAME, their_cookie)  # the pair planted in this browser
    assert _save_draft(client, their_token) == 403
    assert app.state.catalogue.search() == []


def test_token_stops_working_when_the_session_changes(client: TestClient, app: FastAPI) -> None:
    token = csrf_token(client)
    log_in(client)  # a new session, the same CSRF cookie
    assert _save_draft(client, token) == 403
    assert _save_draft(client, csrf_token(client)) == 303
    assert len(app.state.catalogue.search()) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Origin": "http://cred.example:8001"},  # same host, another port: another origin
        {"Referer": "https://attacker.example/forms.html"},
        {"Origin": "https://attacker.example", "Referer": f"{BASE_URL}/designer"},
        {"Origin": "http://[::1"},  # malformed: refused, never a 500
        {"Referer": "http://cred.example:port/"},
    ],
)
def test_post_from_another_origin_is_refused_and_changes_nothing(
    client: TestClient, app: FastAPI, headers: dict[str, str]
) -> None:
    token = csrf_token(client)
    response = client.post(
        "/designer", data=form_body([*example_form(), ("csrf_token", token)]), headers=headers
    )
    assert response.status_code == 403
    assert "another site" in response.text
    assert app.state.catalogue.search() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": BASE_URL},  # the public base URL
        {"Origin": "http://testserver"},  # the address the request was sent to
        {"Referer": f"{BASE_URL}/designer?lang=de"},
        {},  # neither: not a browser's page; the token alone decides
    ],
)
def test_post_from_this_site_is_accepted(
    client: TestClient, app: FastAPI, headers: dict[str, str]
) -> None:
    assert _save_draft(client, csrf_token(client), **headers) == 303
    assert len(app.state.catalogue.search()) == 1


def test_cookie_over_http_is_host_only_http_only_and_strict(app: FastAPI) -> None:
    with TestClient(app) as browser:
        page = browser.get("/login")
    cookie = _csrf_cookie(page.headers.get_list("set-cookie"), COOKIE_NAME)[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"].lower() == "strict"
    assert cookie["path"] == "/" and not cookie["domain"] and not cookie["secure"]


def test_cookie_under_an_https_base_url_is_host_prefixed_and_secure(tmp_path: Path) -> None:
    app = app_on_sqlite(tmp_path / "https.db", base_url="https://cred.example")
    with TestClient(app, base_url="https://cred.example") as browser:
        page = browser.get("/login")
        name = SECURE_COOKIE_NAME
        cookie = _csrf_cookie(page.headers.get_list("set-cookie"), name)[name]
        assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/"
        assert not cookie["domain"]
        assert COOKIE_NAME not in browser.cookies
        log_in(browser)  # the form round trip works with the prefixed cookie
        assert browser.cookies.get(SESSION_COOKIE)
