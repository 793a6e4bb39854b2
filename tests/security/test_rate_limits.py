"""Rate limits: the public verifier and sign-in answer 429 with Retry-After once used up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import STAFF_EMAIL, STAFF_PASSWORD, app_on_sqlite
from microcred.config import Settings
from microcred.security.counters import MemoryCounter, RedisCounter
from microcred.security.rate_limits import Limit, RateLimits, RateLimitSettingError
from security.conftest import REDIS_URL

VERIFY_BODY = {"verifiableCredential": {"not": "a credential"}}


def limited(app: FastAPI, **limits: Limit) -> FastAPI:
    app.state.rate_limits = RateLimits(**limits)
    return app


def login_attempt(client: TestClient, email: str, password: str) -> int:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    form = {"csrf_token": token.group(1), "email": email, "password": password}
    return client.post("/login", data=form, follow_redirects=False).status_code


def test_the_vc_api_verifier_answers_429_with_retry_after_past_its_limit(app: FastAPI) -> None:
    client = TestClient(limited(app, verify=Limit(3, 60)))
    answers = [client.post("/credentials/verify", json=VERIFY_BODY) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [422, 422, 422]
    assert answers[3].status_code == 429
    assert 1 <= int(answers[3].headers["retry-after"]) <= 60
    assert "too many verifications" in answers[3].json()["detail"]


def test_deriving_shares_the_verifier_limit(app: FastAPI) -> None:
    client = TestClient(limited(app, verify=Limit(2, 60)))
    assert client.post("/credentials/verify", json=VERIFY_BODY).status_code == 422
    assert client.post("/credentials/derive", json=VERIFY_BODY).status_code == 422
    assert client.post("/credentials/derive", json=VERIFY_BODY).status_code == 429


def test_the_verify_page_and_wallet_answers_share_the_verifier_limit(app: FastAPI) -> None:
    client = TestClient(limited(app, verify=Limit(2, 60)))
    assert client.get("/verify").status_code == 200
    assert client.post("/oid4vp/response", data={"state": "x"}).status_code != 429
    refused = client.get("/verify")
    assert refused.status_code == 429
    assert "text/html" in refused.headers["content-type"]
    assert refused.headers["retry-after"]


def test_other_routes_are_not_counted_against_the_verifier(app: FastAPI) -> None:
    client = TestClient(limited(app, verify=Limit(1, 60)))
    for _ in range(5):
        assert client.get("/").status_code == 200
    assert client.get("/verify").status_code == 200


def test_failed_sign_ins_are_limited_per_account(app: FastAPI) -> None:
    client = TestClient(limited(app, login_account=Limit(3, 900), login_ip=Limit(100, 900)))
    assert [login_attempt(client, STAFF_EMAIL, "wrong") for _ in range(3)] == [401, 401, 401]
    # The account is locked for now, even with the right password...
    assert login_attempt(client, STAFF_EMAIL, STAFF_PASSWORD) == 429
    # ...but another account from the same address may still sign in.
    assert login_attempt(client, "someone.else@example.org", "wrong") == 401


def test_failed_sign_ins_are_limited_per_client_address(app: FastAPI) -> None:
    client = TestClient(limited(app, login_account=Limit(100, 900), login_ip=Limit(2, 900)))
    assert login_attempt(client, "a@example.org", "x") == 401
    assert login_attempt(client, "b@example.org", "x") == 401
    assert login_attempt(client, "c@example.org", "x") == 429


def test_successful_sign_ins_are_not_counted(app: FastAPI) -> None:
    client = TestClient(limited(app, login_account=Limit(1, 900), login_ip=Limit(1, 900)))
    for _ in range(3):
        assert login_attempt(client, STAFF_EMAIL, STAFF_PASSWORD) == 303


def test_the_memory_counter_starts_again_in_the_next_window() -> None:
    now = [1000.0]
    counter = MemoryCounter(clock=lambda: now[0])
    limit = Limit(2, 60)
    assert [counter.add("k", limit).requests for _ in range(3)] == [1, 2, 3]
    assert counter.add("k", limit).over(limit)
    now[0] += 60
    assert counter.add("k", limit).requests == 1


def test_a_malformed_limit_setting_names_the_variable() -> None:
    with pytest.raises(RateLimitSettingError, match="MICROCRED_RATE_LIMIT_VERIFY"):
        RateLimits.from_settings(Settings(rate_limit_verify="sixty"))
    assert RateLimits.from_settings(Settings(rate_limit_verify="5/10")).verify == Limit(5, 10)


def test_two_api_processes_share_the_verifier_limit_through_redis(
    tmp_path: Path, redis_prefix: str
) -> None:
    apps = [app_on_sqlite(tmp_path / f"node{n}.db") for n in (1, 2)]
    for node in apps:
        limited(node, verify=Limit(4, 60))
        node.state.rate_counter = RedisCounter(REDIS_URL, prefix=redis_prefix)
    first, second = (TestClient(node) for node in apps)
    statuses = [
        (first if n % 2 else second).post("/credentials/verify", json=VERIFY_BODY).status_code
        for n in range(5)
    ]
    assert 429 not in statuses[:4]
    assert statuses[4] == 429
    assert redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}verify:*")


def test_redis_keys_hold_no_client_address_or_email(app: FastAPI, redis_prefix: str) -> None:
    limited(app, login_account=Limit(5, 900), login_ip=Limit(5, 900))
    app.state.rate_counter = RedisCounter(REDIS_URL, prefix=redis_prefix)
    login_attempt(TestClient(app), STAFF_EMAIL, "wrong")
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}*")]
    assert len(keys) == 2
    assert not any(STAFF_EMAIL in key or "testclient" in key for key in keys)
