"""The registrar's list of a specification's awards: claim state, resend, downloads."""

from __future__ import annotations

import re

from demo_support import BASE_URL, Seeded
from fastapi.testclient import TestClient

from api.app_fixtures import log_in
from microcred.services.delivery.outbox import DEMO_OUTBOX
from microcred.services.demo_accounts import LEARNER_EMAIL
from web.web_support import csrf_token

DELFLAND_REGISTRAR = "registrar@hs-delfland.example"
KALTENBACH_REGISTRAR = "registrar@uni-kaltenbach.example"
LUKAS = "lukas.berger@learner.example"


def supply_chains_awards(seeded: Seeded) -> dict[str, str]:
    """Return the award ids of the supply-chains specification, by learner e-mail and state."""
    found = {}
    for award in seeded.result.made:
        spec = seeded.awards.issuer.catalogue.get(award.specification_id)
        if spec.institution == "hs-delfland":
            state = seeded.awards.issuer.status.status_of(award.credential_id).state
            found[f"{award.learner_email} {state}"] = award.id
    return found


def signed_in(client: TestClient, seeded: Seeded, email: str) -> TestClient:
    log_in(client, email, seeded.password_of(email))
    return client


def list_path(seeded: Seeded) -> str:
    [award] = [a for a in seeded.result.made if a.learner_email == LUKAS]
    return f"/specifications/{award.specification_id}/awards"


def test_the_list_shows_each_claim_state_and_downloads(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, DELFLAND_REGISTRAR)
    page = demo_client.get(list_path(seeded))
    assert page.status_code == 200, page.text
    rows = {
        name: row
        for row in re.findall(r"<tr>.*?</tr>", page.text, re.S)
        for name in ("Anna Schmidt", "Lukas Berger", "Sofia Romano")
        if name in row
    }
    assert ">claimed<" in rows["Anna Schmidt"] and "Resend claim e-mail" not in rows["Anna Schmidt"]
    assert ">waiting<" in rows["Lukas Berger"] and "Resend claim e-mail" in rows["Lukas Berger"]
    assert ">suspended<" in rows["Sofia Romano"]
    ids = supply_chains_awards(seeded)
    pdf = demo_client.get(f"/awards/{ids[LUKAS + ' valid']}/download/certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    badge = demo_client.get(f"/awards/{ids[LUKAS + ' valid']}/download/badge.png")
    assert badge.status_code == 200 and badge.headers["content-type"] == "image/png"
    assert demo_client.get(f"/awards/{ids[LUKAS + ' valid']}/download/x.exe").status_code == 404


def test_resend_puts_a_second_message_with_a_new_working_link_in_the_outbox(
    seeded: Seeded, demo_client: TestClient
) -> None:
    [first] = [m.text for m in seeded.messages_to(LUKAS)]
    old_link = re.search(re.escape(BASE_URL) + r"(/claim/[\w-]+)", first)
    assert old_link
    signed_in(demo_client, seeded, DELFLAND_REGISTRAR)
    award_id = supply_chains_awards(seeded)[LUKAS + " valid"]
    token = csrf_token(demo_client, list_path(seeded))

    response = demo_client.post(f"/awards/{award_id}/claim-email", data={"csrf_token": token})

    assert response.status_code == 200, response.text
    second, _first = [m.text for m in seeded.messages_to(LUKAS)]
    new_link = re.search(re.escape(BASE_URL) + r"(/claim/[\w-]+)", second)
    assert new_link and new_link.group(1) != old_link.group(1)
    assert new_link.group(1) in response.text  # shown to the registrar to pass on
    assert demo_client.get(new_link.group(1)).status_code == 200
    assert demo_client.get(old_link.group(1)).status_code == 404


def test_resend_without_the_form_token_or_for_a_claimed_award_changes_nothing(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, DELFLAND_REGISTRAR)
    ids = supply_chains_awards(seeded)
    kept = len(DEMO_OUTBOX.messages())
    refused = demo_client.post(f"/awards/{ids[LUKAS + ' valid']}/claim-email", data={})
    assert refused.status_code == 403
    token = csrf_token(demo_client, list_path(seeded))
    claimed = demo_client.post(
        f"/awards/{ids[LEARNER_EMAIL + ' valid']}/claim-email", data={"csrf_token": token}
    )
    assert claimed.status_code == 422
    assert "claimed this credential already" in claimed.text
    assert len(DEMO_OUTBOX.messages()) == kept


def test_another_institutions_registrar_finds_neither_list_nor_resend(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, KALTENBACH_REGISTRAR)
    assert demo_client.get(list_path(seeded)).status_code in (403, 404)
    award_id = supply_chains_awards(seeded)[LUKAS + " valid"]
    token = csrf_token(demo_client, "/login")
    kept = len(DEMO_OUTBOX.messages())
    response = demo_client.post(f"/awards/{award_id}/claim-email", data={"csrf_token": token})
    assert response.status_code == 404
    assert len(DEMO_OUTBOX.messages()) == kept


def test_without_a_mail_server_resend_gives_the_link_to_pass_on(
    seeded: Seeded, normal_client: TestClient
) -> None:
    signed_in(normal_client, seeded, DELFLAND_REGISTRAR)
    award_id = supply_chains_awards(seeded)[LUKAS + " valid"]
    token = csrf_token(normal_client, list_path(seeded))
    kept = len(DEMO_OUTBOX.messages())
    response = normal_client.post(f"/awards/{award_id}/claim-email", data={"csrf_token": token})
    assert response.status_code == 200, response.text
    assert "No mail server is configured" in response.text
    link = re.search(
        r'class="claim-link" href="' + re.escape(BASE_URL) + r'(/claim/[\w-]+)"', response.text
    )
    assert link and normal_client.get(link.group(1)).status_code == 200
    assert len(DEMO_OUTBOX.messages()) == kept


def test_the_list_of_an_unknown_specification_is_not_found(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, DELFLAND_REGISTRAR)
    assert demo_client.get("/specifications/no-such-id/awards").status_code == 404


def test_a_revoked_credentials_claim_email_is_not_resent(
    seeded: Seeded, demo_client: TestClient
) -> None:
    [revoked] = [a for a in seeded.result.made if a.learner_email.startswith("jonas")]
    signed_in(demo_client, seeded, "registrar@kuusiniemi.example")
    listing = f"/specifications/{revoked.specification_id}/awards"
    row = next(
        r for r in re.findall(r"<tr>.*?</tr>", demo_client.get(listing).text, re.S) if "Jonas" in r
    )
    assert ">revoked<" in row and "Resend claim e-mail" not in row
    token = csrf_token(demo_client, listing)
    kept = len(DEMO_OUTBOX.messages())
    response = demo_client.post(f"/awards/{revoked.id}/claim-email", data={"csrf_token": token})
    assert response.status_code == 422
    assert "revoked" in response.text
    assert len(DEMO_OUTBOX.messages()) == kept
