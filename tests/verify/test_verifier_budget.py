"""A verification is bounded: hostile credentials are refused with a reason in the report, a
saturated verifier answers 503 with Retry-After (and says so on /readyz) instead of queueing
without limit, and a later valid request is answered while hostile ones are in flight."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hostile_credentials import blank_profile_clique, many_blank_profiles, with_parent_orgs
from verify_support import explained

from microcred.api.verifier_slots import RETRY_AFTER_SECONDS, VerifierSlots
from microcred.app import create_app
from microcred.config import Settings
from microcred.crypto.rdfc import MAX_CANONICALISATION_WORK
from microcred.formats.jsonld.limits import MAX_VALUES_PER_PROPERTY
from microcred.verify import verify_credential


@pytest.fixture
def client(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'microcred.db'}", secret_key="test-key"
    )
    with TestClient(create_app(settings, migrate=True)) as client:
        yield client


def _post(client: TestClient, credential: Any) -> Any:
    return client.post(
        "/credentials/verify",
        content=json.dumps({"verifiableCredential": credential}),
        headers={"content-type": "application/json"},
    )


def test_poison_credential_is_refused_with_the_reason_in_the_report(credential):
    hostile = with_parent_orgs(credential, blank_profile_clique(30))
    report = verify_credential(hostile)
    proof = report.check("proof")
    # Refused for its cost, not disproved: the signature was never checked.
    assert proof.status == "indeterminate"
    assert report.outcome == "indeterminate"
    assert proof.reason == "checking the signature took too long and was stopped"
    assert proof.details["technical"] == (
        "eddsa-rdfc-2022: canonicalisation refused: "
        "blank-node structure too complex "
        f"(work budget {MAX_CANONICALISATION_WORK:,} exceeded)"
    )


def test_thousands_of_blank_profiles_are_refused_without_a_recursion_error(credential):
    hostile = with_parent_orgs(credential, many_blank_profiles(17_000))
    assert len(json.dumps(hostile)) > 600_000
    report = verify_credential(json.dumps(hostile))
    reasons = {check.name: explained(check) for check in report.checks}
    expected = f"$.issuer.parentOrg: 17,000 values; the limit is {MAX_VALUES_PER_PROPERTY:,}"
    assert reasons["safe_mode"].endswith(f"JSON-LD refused: {expected}")
    assert (
        report.check("safe_mode").reason
        == "the credential is built in a way too complex to check safely"
    )
    # The proof (which may fetch a key) is not even attempted once the local checks refused.
    assert reasons["proof"] == "not checked: the safe_mode check did not pass"
    assert "RecursionError" not in json.dumps(reasons)


def test_slots_turn_away_what_cannot_wait():
    slots = VerifierSlots(capacity=1, max_waiting=0, wait_seconds=0)
    with slots.slot() as first:
        assert first is True
        assert slots.saturated
        with slots.slot() as second:
            assert second is False
    assert not slots.saturated
    with slots.slot() as again:
        assert again is True


def test_a_waiting_verification_gets_the_slot_once_it_is_free():
    slots = VerifierSlots(capacity=1, max_waiting=1, wait_seconds=60)
    granted: list[bool] = []
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with slots.slot() as got:
            granted.append(got)
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(60)

    def wait_for_slot() -> None:
        with slots.slot() as got:
            granted.append(got)

    waiter = threading.Thread(target=wait_for_slot)
    waiter.start()
    release.set()
    holder.join(60)
    waiter.join(60)
    assert granted == [True, True]


def test_saturated_verifier_answers_503_and_readyz_says_so(client, credential, no_network):
    slots = VerifierSlots(capacity=1, max_waiting=0, wait_seconds=0)
    client.app.state.verifier_slots = slots
    with slots.slot():
        busy = _post(client, credential)
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["verifier"] == "saturated"
    assert _post(client, credential).status_code == 200
    ready = client.get("/readyz")
    assert ready.json()["checks"]["verifier"] == "ok"


def test_valid_request_is_answered_while_hostile_ones_are_in_flight(client, credential, no_network):
    """Two hostile verifications hold both slots; a valid one sent meanwhile still gets its
    200 (it waits for a slot, it is not starved): polled, with a generous deadline."""
    hostile = with_parent_orgs(credential, blank_profile_clique(30))
    answers: dict[str, list[int]] = {"hostile": [], "valid": []}

    def send(kind: str, document: dict[str, Any]) -> Callable[[], None]:
        def run() -> None:
            answers[kind].append(_post(client, document).status_code)

        return run

    threads = [threading.Thread(target=send("hostile", hostile)) for _ in range(2)]
    threads.append(threading.Thread(target=send("valid", credential)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert answers["valid"] == [200]
    assert answers["hostile"] == [424, 424]  # refused for their cost: indeterminate
