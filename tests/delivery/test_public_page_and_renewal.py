"""The public credential page (live check, banners, LinkedIn, privacy); expiry and renewal."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from delivery_support import confirm_claim, csrf_token

from delivery.conftest import World
from microcred.services.delivery.links import credential_id_from_path, public_path
from microcred.services.delivery.renewal import renew
from microcred.services.delivery.validity import valid_until
from microcred.services.issuing import IssuingError


def public_page(world: World, credential_id: str) -> str:
    response = world.client.get(public_path(credential_id))
    assert response.status_code == 200, response.text
    return response.text


def test_public_page_shows_the_credential_verified_with_its_eu_elements(world: World) -> None:
    award = world.award()
    page = public_page(world, award.credential_id)
    assert "Data Literacy for Public Administration" in page
    assert "Jana Nowak" in page
    assert "Verified." in page
    assert "Learning outcomes" in page and "Type of quality assurance" in page
    assert "jana@example.org" not in page  # no personal data beyond name, title and dates
    og_title = re.search(r'<meta property="og:title" content="([^"]+)"', page)
    assert og_title and unescape(og_title.group(1)) == (
        "Data Literacy for Public Administration — Jana Nowak"
    )
    assert 'property="og:image"' in page


def test_linkedin_link_fills_the_certification_fields(world: World) -> None:
    award = world.award()
    page = public_page(world, award.credential_id)
    found = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page)
    assert found
    fields = {k: v[0] for k, v in parse_qs(urlsplit(unescape(found.group(1))).query).items()}
    issued = award.issued_at
    assert fields == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Data Literacy for Public Administration",
        "organizationName": "TH Lahntal",
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "expirationYear": str(issued.year + 3),
        "expirationMonth": str(issued.month),
        "certUrl": f"{world.settings.base_url}{public_path(award.credential_id)}",
        "certId": award.credential_id,
    }


def test_public_page_of_a_revoked_credential_says_so(world: World) -> None:
    award = world.award()
    world.issuer.status.revoke(award.credential_id, reason="exam misconduct", actor="registrar")
    page = public_page(world, award.credential_id)
    assert "Revoked." in page
    assert "Not verified." in page
    assert "Verified." not in page


def test_public_page_of_a_suspended_credential_says_so(world: World) -> None:
    award = world.award()
    world.issuer.status.suspend(award.credential_id, reason="under review", actor="registrar")
    page = public_page(world, award.credential_id)
    assert "Suspended." in page


def test_the_learner_turns_the_public_page_off_and_on(world: World) -> None:
    award = world.award()
    path = confirm_claim(world)
    page = world.client.get(path)
    off = world.client.post(
        f"{path}/public", data={"csrf_token": csrf_token(page.text), "visible": "off"}
    )
    assert "Your public page is off" in off.text
    hidden = world.client.get(public_path(award.credential_id))
    assert hidden.status_code == 404
    assert "Jana Nowak" not in hidden.text
    assert world.client.get(f"{public_path(award.credential_id)}/badge.png").status_code == 404
    world.client.post(f"{path}/public", data={"csrf_token": csrf_token(off.text), "visible": "on"})
    assert world.client.get(public_path(award.credential_id)).status_code == 200


def test_public_page_of_an_unknown_credential_is_not_found(world: World) -> None:
    response = world.client.get("/credentials/2f0e8c8e-5b7a-4c53-9d0f-3c1c7f1f7b1a")
    assert response.status_code == 404


def test_public_path_round_trips_to_the_credential_id() -> None:
    credential_id = "urn:uuid:2f0e8c8e-5b7a-4c53-9d0f-3c1c7f1f7b1a"
    assert public_path(credential_id) == "/credentials/2f0e8c8e-5b7a-4c53-9d0f-3c1c7f1f7b1a"
    segment = public_path(credential_id).rsplit("/", 1)[1]
    assert credential_id_from_path(segment) == credential_id


def test_default_validity_of_the_specification_sets_valid_until(world: World) -> None:
    award = world.award()
    path = confirm_claim(world)
    credential = world.client.get(f"{path}/credential.json").json()
    issued = datetime.fromisoformat(credential["validFrom"])
    assert credential["validUntil"] == (
        valid_until(issued, "P3Y").strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[union-attr]
    )
    assert award.credential_id == credential["id"]


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        (datetime(2025, 1, 31, tzinfo=UTC), "P1M", datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2024, 2, 29, tzinfo=UTC), "P1Y", datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2025, 3, 1, tzinfo=UTC), "P18M", datetime(2026, 9, 1, tzinfo=UTC)),
        (datetime(2025, 3, 1, tzinfo=UTC), "P2W3D", datetime(2025, 3, 18, tzinfo=UTC)),
    ],
)
def test_valid_until_adds_calendar_years_months_weeks_and_days(
    start: datetime, duration: str, end: datetime
) -> None:
    assert valid_until(start, duration) == end


def test_a_duration_that_is_not_iso_8601_is_refused_with_an_example() -> None:
    with pytest.raises(ValueError, match="such as P3Y"):
        valid_until(datetime(2025, 3, 1, tzinfo=UTC), "3 years")


def test_renewal_issues_a_new_credential_linked_to_the_old_which_still_verifies(
    world: World,
) -> None:
    old = world.award()
    new = renew(world.awards, old.id)
    assert new.credential_id != old.credential_id
    assert world.awards.get(old.id).replaced_by == new.id
    assert len(world.inbox.wait_for(2)) == 2  # the renewed credential is e-mailed too
    old_page = public_page(world, old.credential_id)
    assert "This credential has been renewed." in old_page
    assert public_path(new.credential_id) in old_page
    assert "Verified." in old_page  # renewal does not revoke the old credential
    assert public_path(old.credential_id) in public_page(world, new.credential_id)
    with pytest.raises(IssuingError, match="already renewed"):
        renew(world.awards, old.id)
