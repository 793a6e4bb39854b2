"""Launches from the test LMS: a good one is let in; each forged, stale or replayed one is
refused with its reason, and a refused launch links nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from lti.conftest import World, post_launch, start_login
from lti.lms_platform import CLAIM, LEARNER

OTHER_KEY = rsa.generate_private_key(65537, 2048)


def test_a_resource_link_launch_is_let_in(world: World, tool: TestClient) -> None:
    state, nonce = start_login(tool, world.platform)
    answer = post_launch(tool, world.platform.id_token(world.platform.claims(nonce)), state)
    assert answer.status_code == 200, answer.text
    assert "Data Literacy 101" in answer.text
    assert "No micro-credential is linked to this course yet." in answer.text


def test_the_tool_publishes_its_rs256_key(tool: TestClient) -> None:
    (key,) = tool.get("/lti/jwks.json").json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in key and "p" not in key  # the public half only


def test_a_login_from_an_unknown_issuer_is_refused(world: World, tool: TestClient) -> None:
    answer = tool.get(
        "/lti/login",
        params={"iss": "https://lms.unknown.example", "login_hint": "x"},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    assert "not registered here" in answer.text


REFUSALS: dict[str, tuple[dict[str, Any], str]] = {
    "wrong-audience": ({"aud": "someone-else"}, "not meant for this client"),
    "wrong-nonce": ({"nonce": "not-the-one-sent"}, "nonce is not the one this login sent"),
    "expired": ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}, "expired"),
    "unknown-deployment": ({CLAIM + "deployment_id": "deployment-9"}, "deployment id"),
    "unknown-issuer": ({"iss": "https://lms.unknown.example"}, "issuer"),
    "wrong-version": ({CLAIM + "version": "1.1"}, "not LTI version 1.3.0"),
    "unknown-message": ({CLAIM + "message_type": "LtiSubmissionReview"}, "no launch of type"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_launch_with_a_bad_claim_is_refused(world: World, tool: TestClient, case: str) -> None:
    overrides, reason = REFUSALS[case]
    state, nonce = start_login(tool, world.platform)
    claims = world.platform.claims(nonce) | overrides
    answer = post_launch(tool, world.platform.id_token(claims), state)
    assert answer.status_code == 400
    assert reason in answer.text


def test_a_launch_signed_with_another_key_is_refused(world: World, tool: TestClient) -> None:
    state, nonce = start_login(tool, world.platform)
    forged = world.platform.id_token(world.platform.claims(nonce), key=OTHER_KEY)
    answer = post_launch(tool, forged, state)
    assert answer.status_code == 400
    assert "signature does not verify" in answer.text


def test_a_replayed_launch_is_refused(world: World, tool: TestClient) -> None:
    state, nonce = start_login(tool, world.platform)
    token = world.platform.id_token(world.platform.claims(nonce))
    assert post_launch(tool, token, state).status_code == 200
    again = post_launch(tool, token, state)
    assert again.status_code == 400
    assert "used already" in again.text
    # Nor does a fresh login make the old launch good: its nonce is that login's no more.
    fresh_state, _nonce = start_login(tool, world.platform)
    replayed = post_launch(tool, token, fresh_state)
    assert replayed.status_code == 400
    assert "nonce" in replayed.text


def test_a_launch_with_no_login_is_refused(world: World, tool: TestClient) -> None:
    token = world.platform.id_token(world.platform.claims("any-nonce"))
    answer = post_launch(tool, token, "a-state-nobody-gave")
    assert answer.status_code == 400
    assert "unknown, used already or expired" in answer.text


def test_a_learner_may_not_link_a_credential(world: World, tool: TestClient) -> None:
    state, nonce = start_login(tool, world.platform)
    claims = world.platform.claims(nonce, "LtiDeepLinkingRequest", **{CLAIM + "roles": [LEARNER]})
    answer = post_launch(tool, world.platform.id_token(claims), state)
    assert answer.status_code == 400
    assert "only an instructor" in answer.text


def test_garbage_in_place_of_a_token_is_refused(world: World, tool: TestClient) -> None:
    state, _nonce = start_login(tool, world.platform)
    answer = post_launch(tool, "not.a.jwt", state)
    assert answer.status_code == 400
    assert tool.post("/lti/launch", data={}).status_code == 400
    broken = {"content-type": "multipart/form-data; boundary=x"}
    assert tool.post("/lti/launch", content=b"--x\r\nbroken", headers=broken).status_code < 500
