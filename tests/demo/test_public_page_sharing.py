"""The public page of a credential offers LinkedIn only while the credential is valid."""

from __future__ import annotations

from demo_support import Seeded
from fastapi.testclient import TestClient

from microcred.services.delivery.links import public_path

LINKEDIN = "Add to LinkedIn profile"


def test_linkedin_is_offered_for_a_valid_credential_only(
    seeded: Seeded, demo_client: TestClient
) -> None:
    by_name = {award.learner_name: award for award in seeded.result.made}
    pages = {
        name: demo_client.get(public_path(by_name[name].credential_id)).text
        for name in ("Anna Schmidt", "Sofia Romano", "Jonas Virtanen")
    }
    assert LINKEDIN in pages["Anna Schmidt"]  # claimed and valid
    assert "Suspended." in pages["Sofia Romano"] and LINKEDIN not in pages["Sofia Romano"]
    assert "Revoked." in pages["Jonas Virtanen"] and LINKEDIN not in pages["Jonas Virtanen"]
