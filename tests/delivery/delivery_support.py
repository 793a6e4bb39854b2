"""Helpers the delivery tests share: walking the claim page, and verifying what comes out."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from delivery.conftest import World, claim_path, code_in
from microcred.status.fetching import StatusListUnavailable
from microcred.verify import VerificationReport, verify_credential


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def confirm_claim(world: World, message_index: int = 0) -> str:
    """Follow the claim e-mail's link, ask for a code, enter it; return the claim path."""
    client: TestClient = world.client
    path = claim_path(world.inbox.wait_for(message_index + 1)[message_index])
    page = client.get(path)
    assert page.status_code == 200
    sent = client.post(f"{path}/code", data={"csrf_token": csrf_token(page.text)})
    assert sent.status_code == 200, sent.text
    code = code_in(world.inbox.wait_for(message_index + 2)[message_index + 1])
    confirmed = client.post(
        f"{path}/confirm", data={"csrf_token": csrf_token(sent.text), "code": code}
    )
    assert confirmed.status_code == 200, confirmed.text  # followed the redirect to the page
    assert "Your downloads" in confirmed.text
    return path


def verify_here(world: World, data: Any) -> VerificationReport:
    """Verify as this instance does: our DIDs and status lists read from the database."""

    fetch = world.issuer.status.published.fetcher(_nowhere)
    return verify_credential(
        data, resolve_key=world.issuer.keys.key_resolver(), fetch_status_list=fetch
    )


def _nowhere(url: str) -> dict[str, Any]:
    raise StatusListUnavailable(f"{url} is not ours and the tests stay offline")
