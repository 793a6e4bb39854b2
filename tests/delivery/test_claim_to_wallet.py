"""From the claim page into a wallet: a learner without an account is offered one; signed in
under the claim's address the credential is there already; under another it is saved, and
flagged because it names someone else."""

from __future__ import annotations

import re

from delivery_support import confirm_claim

from api.app_fixtures import log_in
from delivery.conftest import World
from microcred.services.accounts import Accounts

PASSWORD = "bees and honey 2026"


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_claim_page_offers_a_learner_account_to_someone_signed_out(world: World) -> None:
    world.award()
    path = confirm_claim(world)
    page = world.client.get(path).text
    assert "Save to my wallet" in page
    assert 'href="/signup?next=/wallet"' in page and f'href="/login?next={path}"' in page


def test_signed_in_under_the_claims_address_the_credential_is_in_the_wallet(
    world: World,
) -> None:
    award = world.award()
    path = confirm_claim(world)
    Accounts(world.awards.db).create_user("jana@example.org", actor="test", password=PASSWORD)
    log_in(world.client, "jana@example.org", PASSWORD)
    page = world.client.get(path).text
    assert "It is in your wallet" in page
    listed = world.client.get("/wallet").text
    assert "Data Literacy" in listed and "Names someone else" not in listed
    [entry] = world.app.state.wallet.credentials("jana@example.org")
    assert entry.id == award.credential_id and entry.source == "issued here"


def test_saved_under_another_address_it_is_imported_and_flagged(world: World) -> None:
    award = world.award()
    path = confirm_claim(world)
    Accounts(world.awards.db).create_user("max@example.org", actor="test", password=PASSWORD)
    log_in(world.client, "max@example.org", PASSWORD)
    page = world.client.get(path).text
    assert "You are signed in as max@example.org" in page
    saved = world.client.post(
        f"{path}/save", data={"csrf_token": csrf(page)}, follow_redirects=False
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/wallet"
    listed = world.client.get("/wallet").text
    assert "Names someone else" in listed
    [entry] = world.app.state.wallet.credentials("max@example.org")
    assert entry.id == award.credential_id and entry.someone_else


def test_saving_needs_a_signed_in_learner(world: World) -> None:
    world.award()
    path = confirm_claim(world)
    page = world.client.get(path).text
    refused = world.client.post(
        f"{path}/save", data={"csrf_token": csrf(page)}, follow_redirects=False
    )
    assert refused.status_code in (303, 401)
    assert refused.status_code == 401 or refused.headers["location"].startswith("/login")
