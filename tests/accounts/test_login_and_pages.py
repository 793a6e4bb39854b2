"""Password login, sessions, logout, the account page and its tokens, and the pages' isolation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from accounts.conftest import DESIGNER_A, World, browser_client, make_app
from api.app_fixtures import STAFF_PASSWORD, log_in
from microcred.services.accounts import AccountError, Accounts
from microcred.services.sessions import Sessions
from microcred.store.database import Database

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(client: TestClient, page: str = "/login") -> str:
    match = CSRF.search(client.get(page).text)
    assert match
    return match.group(1)


def _post_login(client: TestClient, email: str, password: str) -> object:
    form = {"csrf_token": _csrf(client), "email": email, "password": password}
    return client.post("/login", data=form, follow_redirects=False)


def test_login_sets_a_secure_httponly_lax_cookie_and_rotates_the_session(world: World) -> None:
    sessions = Sessions(world.app.state.database)
    with browser_client(world.app) as client:
        response = _post_login(client, DESIGNER_A, STAFF_PASSWORD)
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
        first = client.cookies["microcred_session"]
        assert client.get("/account").status_code == 200
        _post_login(client, DESIGNER_A, STAFF_PASSWORD)
        second = client.cookies["microcred_session"]
    assert second != first
    assert sessions.principal(first) is None and sessions.principal(second) is not None


def test_the_cookie_is_not_secure_on_a_plain_http_base_url(database: Database) -> None:
    app = make_app(database, base_url="http://127.0.0.1:8000")
    Accounts(database).create_user("ada@uni.example", password=STAFF_PASSWORD, actor="test")
    with TestClient(app) as client:
        response = _post_login(client, "ada@uni.example", STAFF_PASSWORD)
    assert "Secure" not in response.headers["set-cookie"]


def test_a_failed_login_says_the_same_for_a_wrong_password_and_an_unknown_email(
    world: World,
) -> None:
    with browser_client(world.app) as client:
        wrong = _post_login(client, DESIGNER_A, "not the password at all")
        unknown = _post_login(client, "nobody@nowhere.example", STAFF_PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    message = "The email address or the password is not correct."
    assert message in wrong.text and message in unknown.text
    assert "microcred_session" not in wrong.headers.get("set-cookie", "")


def test_a_login_form_without_the_csrf_token_is_refused(world: World) -> None:
    with browser_client(world.app) as client:
        response = client.post("/login", data={"email": DESIGNER_A, "password": STAFF_PASSWORD})
    assert response.status_code == 403


def test_logout_ends_the_session_on_the_server(world: World) -> None:
    with browser_client(world.app) as client:
        log_in(client, DESIGNER_A)
        session_id = client.cookies["microcred_session"]
        client.post("/logout", data={"csrf_token": _csrf(client, "/account")})
        assert Sessions(world.app.state.database).principal(session_id) is None
        client.cookies.set("microcred_session", session_id)
        assert client.get("/account", follow_redirects=False).status_code == 303


def test_an_expired_session_signs_nobody_in(database: Database) -> None:
    user = Accounts(database).create_user("ada@uni.example", password=STAFF_PASSWORD, actor="t")
    expired = Sessions(database, lifetime=timedelta(seconds=-1)).start(user.id)
    live = Sessions(database).start(user.id)
    assert Sessions(database).principal(expired) is None
    assert Sessions(database).principal(live) is not None


@pytest.mark.real_password_hashing
def test_sessions_and_passwords_are_stored_only_as_hashes(database: Database) -> None:
    user = Accounts(database).create_user("ada@uni.example", password=STAFF_PASSWORD, actor="t")
    session_id = Sessions(database).start(user.id)
    with database.engine.connect() as connection:
        stored_hash = connection.exec_driver_sql("SELECT password_hash FROM users").scalar()
        stored_ids = connection.exec_driver_sql("SELECT id_hash FROM sessions").scalars().all()
    assert str(stored_hash).startswith("$argon2id$") and STAFF_PASSWORD not in str(stored_hash)
    # RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), not the tests' quick one.
    assert "$m=65536,t=3,p=4$" in str(stored_hash)
    assert session_id not in stored_ids and len(stored_ids) == 1


def test_a_short_password_is_refused_and_nothing_is_stored(database: Database) -> None:
    accounts = Accounts(database)
    try:
        accounts.create_user("ada@uni.example", password="short", actor="t")
    except AccountError as error:
        assert "at least 12 characters" in str(error)
    else:
        raise AssertionError("a 5-character password was accepted")
    assert accounts.list_users() == []


def test_the_account_page_shows_a_new_token_once_and_lists_it_by_prefix(world: World) -> None:
    with browser_client(world.app) as client:
        log_in(client, DESIGNER_A)
        form = {"csrf_token": _csrf(client, "/account"), "name": "gradebook", "scope": ["read"]}
        created = client.post("/account/tokens", data=form)
        assert created.status_code == 201
        value = re.search(r'<code id="new-token">(mc_[^<]+)</code>', created.text)
        assert value
        again = client.get("/account").text
        assert value.group(1) not in again and value.group(1)[:10] in again
        token_id = world.app.state.api_tokens.list(DESIGNER_A)[0].id
        revoke = {"csrf_token": _csrf(client, "/account")}
        client.post(f"/account/tokens/{token_id}/revoke", data=revoke)
        assert world.app.state.api_tokens.get(token_id).revoked_at is not None


def test_a_user_cannot_revoke_someone_elses_token(world: World) -> None:
    other = world.app.state  # tokens of designer@b are made through the service
    from microcred.services.api_tokens import ApiTokens

    theirs = ApiTokens(other.database).create("designer@b.example", "x", ["read"], actor="t")
    with browser_client(world.app) as client:
        log_in(client, DESIGNER_A)
        response = client.post(
            f"/account/tokens/{theirs.token.id}/revoke",
            data={"csrf_token": _csrf(client, "/account")},
        )
    assert response.status_code == 404
    assert ApiTokens(other.database).get(theirs.token.id).revoked_at is None


def test_pages_keep_a_designer_of_a_out_of_b(world: World, designer_a_browser: TestClient) -> None:
    client = designer_a_browser
    assert client.get(f"/specifications/{world.b_draft}").status_code == 404
    assert client.get(f"/specifications/{world.b_draft}/edit").status_code == 404
    assert client.get(f"/specifications/{world.b_published}").status_code == 200
    assert client.get(f"/specifications/{world.b_published}/edit").status_code == 403
    token = _csrf(client, "/designer")
    publish = client.post(f"/specifications/{world.b_draft}/publish", data={"csrf_token": token})
    assert publish.status_code == 404
    assert world.app.state.catalogue.versions(world.b_draft)[-1].status == "draft"
    designer = client.get("/designer").text
    assert 'value="uni-a"' in designer and 'value="uni-b"' not in designer
    assert world.b_draft not in client.get("/?status=draft").text


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Password1234", "most commonly used"),
        ("QWERTYUIOP12", "most commonly used"),
        ("welcome12345", "most commonly used"),
        ("aaaaaaaaaaaaaaaa", "different characters"),
        ("121212121212", "different characters"),
    ],
)
def test_a_common_or_repetitive_password_is_refused_and_nothing_is_stored(
    database: Database, password: str, reason: str
) -> None:
    accounts = Accounts(database)
    with pytest.raises(AccountError, match=reason):
        accounts.create_user("ada@uni.example", password=password, actor="t")
    assert accounts.list_users() == []


def test_a_long_uncommon_password_is_accepted(database: Database) -> None:
    Accounts(database).create_user("ada@uni.example", password="lahntal rivers 1987", actor="t")
    assert [user.email for user in Accounts(database).list_users()] == ["ada@uni.example"]
