"""Rate limits: the public verifier and sign-in answer 429 with Retry-After once used up."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import STAFF_EMAIL, STAFF_PASSWORD, app_on_sqlite
from microcred.config import Settings
from microcred.security.counters import Counter, memory_counter, redis_counter
from microcred.security.rate_limiting import client_group, digest
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
    assert [a.status_code for a in answers[:3]] == [400, 400, 400]  # not a credential
    assert answers[3].status_code == 429
    assert 1 <= int(answers[3].headers["retry-after"]) <= 60
    assert "too many verifications" in answers[3].json()["detail"]


def test_deriving_shares_the_verifier_limit(app: FastAPI) -> None:
    client = TestClient(limited(app, verify=Limit(2, 60)))
    assert client.post("/credentials/verify", json=VERIFY_BODY).status_code == 400
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


def test_the_memory_counter_starts_again_once_the_window_has_passed() -> None:
    counter = memory_counter()
    limit = Limit(2, 1)
    assert [counter.add("k", limit).allowed for _ in range(3)] == [True, True, False]
    time.sleep(1.05)  # the whole one-second window, so the next request is in a new one
    assert counter.add("k", limit).allowed


def test_a_refused_count_says_when_to_try_again_and_peek_counts_nothing() -> None:
    counter = memory_counter()
    limit = Limit(1, 60)
    assert counter.peek("k", limit).allowed
    assert counter.add("k", limit).allowed
    refused = counter.peek("k", limit)
    assert not refused.allowed
    assert 1 <= refused.retry_after <= 60


def opcodes_run_by(call: Callable[[], object]) -> int:
    """Return how many Python bytecode instructions ``call`` runs in this thread.

    A count of instructions, unlike a time, does not depend on the machine's load: the same
    work gives the same number.
    """
    executed = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal executed
        frame.f_trace_opcodes = True
        if event == "opcode":
            executed += 1
        return trace

    sys.settrace(trace)
    try:
        call()
    finally:
        sys.settrace(None)
    return executed


def cost_of_new_clients(counter: Counter, first_client: int, limit: Limit) -> int:
    """Return the largest instruction count of counting 20 clients not seen before."""
    return max(
        opcodes_run_by(lambda n=n: counter.add(digest("verify", f"client-{n}"), limit))
        for n in range(first_client, first_client + 20)
    )


def test_the_cost_of_a_request_stays_flat_with_200000_clients_in_one_window() -> None:
    counter = memory_counter()
    limit = Limit(60, 3600)
    for n in range(100):
        counter.add(digest("verify", f"client-{n}"), limit)
    cost_at_first = cost_of_new_clients(counter, 100, limit)
    for n in range(120, 200_000):
        counter.add(digest("verify", f"client-{n}"), limit)
    cost_at_200000 = cost_of_new_clients(counter, 200_000, limit)
    # The same instructions run for each request whether 100 or 200,000 clients are counted:
    # no table of every client is walked or rebuilt on the way.
    assert cost_at_200000 <= cost_at_first + 50
    assert counter.add(digest("verify", "client-7"), limit).allowed


def test_addresses_of_one_ipv6_64_network_count_as_one_client() -> None:
    assert client_group("2001:db8:1:2::1") == client_group("2001:db8:1:2:ffff:1:2:3")
    assert client_group("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_group("2001:db8:1:3::1") != client_group("2001:db8:1:2::1")
    assert client_group("192.0.2.1") != client_group("192.0.2.2")
    assert client_group("::ffff:192.0.2.1") == client_group("192.0.2.1")


def test_the_verifier_limit_is_shared_by_an_ipv6_64_network(app: FastAPI) -> None:
    limited(app, verify=Limit(2, 60))
    one, same_network, other_network = (
        TestClient(app, client=(address, 50000))
        for address in ("2001:db8:5:6::1", "2001:db8:5:6:aaaa::9", "2001:db8:5:7::1")
    )
    assert one.get("/verify").status_code == 200
    assert same_network.get("/verify").status_code == 200
    assert one.get("/verify").status_code == 429
    assert same_network.get("/verify").status_code == 429
    assert other_network.get("/verify").status_code == 200


def test_the_redis_counter_refuses_past_the_limit_with_retry_after(redis_prefix: str) -> None:
    counter = redis_counter(REDIS_URL, prefix=redis_prefix.rstrip(":"))
    limit = Limit(2, 60)
    assert [counter.add("k", limit).allowed for _ in range(2)] == [True, True]
    refused = counter.add("k", limit)
    assert not refused.allowed
    assert 1 <= refused.retry_after <= 60
    assert not counter.peek("k", limit).allowed
    assert counter.peek("other", limit).allowed


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
        node.state.rate_counter = redis_counter(REDIS_URL, prefix=redis_prefix.rstrip(":"))
    first, second = (TestClient(node) for node in apps)
    statuses = [
        (first if n % 2 else second).post("/credentials/verify", json=VERIFY_BODY).status_code
        for n in range(5)
    ]
    assert 429 not in statuses[:4]
    assert statuses[4] == 429
    assert redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}*verify:*")


def test_redis_keys_hold_no_client_address_or_email(app: FastAPI, redis_prefix: str) -> None:
    limited(app, login_account=Limit(5, 900), login_ip=Limit(5, 900))
    app.state.rate_counter = redis_counter(REDIS_URL, prefix=redis_prefix.rstrip(":"))
    login_attempt(TestClient(app), STAFF_EMAIL, "wrong")
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}*")]
    assert len(keys) == 2
    assert not any(STAFF_EMAIL in key or "testclient" in key for key in keys)
