"""Wallet pages: the claim page offers the credential to a wallet (OpenID4VCI) once the
learner confirmed the address; staff ask a wallet for a credential (OpenID4VP), and the page
shows the report and only what the wallet disclosed."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from gaps_support import DESIGNER, LEARNER, OFFICER, Site, app_request, form_token, sign_in

from microcred.http.services import credential_issuer_of
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.delivery.claims import Claims
from microcred.services.oid4vci import Oid4vciIssuer
from wallet.holder import Holder, read_offer

SD_JWT = "MicroCredential_dc+sd-jwt"
LEARNER_INPUT = LearnerInput(name="Jana Nowak", email=LEARNER, date_of_birth=date(1990, 5, 17))


def _award(site: Site) -> AwardRecord:
    issuer = credential_issuer_of(app_request(site.app))
    awards = Awards(site.app.state.database, issuer, site.app.state.settings)
    return awards.award(site.cleaning, None, LEARNER_INPUT)


def _confirmed_claim(site: Site, client: TestClient, award: AwardRecord) -> str:
    claims = Claims(site.app.state.database)
    token = claims.open(award.credential_id, LEARNER, "en")
    _claim, code = claims.new_code(token)
    data = {"code": code, "csrf_token": form_token(client, f"/claim/{token}")}
    confirmed = client.post(f"/claim/{token}/confirm", data=data, follow_redirects=False)
    assert confirmed.status_code == 303
    return token


def _href(page: str, testid: str) -> str:
    found = re.search(rf'href="([^"]+)" data-testid="{testid}"', page)
    assert found, f"no link {testid}"
    return html.unescape(found.group(1))


def test_confirmed_learner_gets_an_offer_a_wallet_redeems(site: Site) -> None:
    award = _award(site)
    client = TestClient(site.app)
    token = _confirmed_claim(site, client, award)
    page = client.get(f"/claim/{token}").text
    assert "Send to my wallet" in page and "will follow" not in page

    made = client.post(
        f"/claim/{token}/wallet-offer",
        data={"tx_code": "on", "csrf_token": form_token(client, f"/claim/{token}")},
    )
    assert made.status_code == 201
    assert made.headers["cache-control"] == "no-store"
    assert 'src="data:image/png;base64,' in made.text
    uri = _href(made.text, "offer-link")
    tx_code = re.search(r'data-testid="tx-code">(\d{6})<', made.text)
    assert uri.startswith("openid-credential-offer://") and tx_code

    holder = Holder(http=TestClient(site.app))
    received = holder.receive(uri, tx_code.group(1))
    assert set(received) == set(read_offer(uri)["credential_configuration_ids"])


def test_offer_needs_the_confirmed_address_and_the_form_token(site: Site) -> None:
    award = _award(site)
    client = TestClient(site.app)
    token = Claims(site.app.state.database).open(award.credential_id, LEARNER, "en")
    refused = client.post(
        f"/claim/{token}/wallet-offer",
        data={"csrf_token": form_token(client, f"/claim/{token}")},
    )
    assert refused.status_code == 403 and "Confirm your e-mail address first." in refused.text
    assert "openid-credential-offer://" not in refused.text
    assert client.post(f"/claim/{token}/wallet-offer", data={}).status_code == 403


@pytest.fixture
def holder_with_sd_jwt(site: Site) -> Holder:
    award = _award(site)
    offer = Oid4vciIssuer(credential_issuer_of(app_request(site.app))).create_offer(
        award.id, configuration_ids=[SD_JWT]
    )
    holder = Holder(http=TestClient(site.app))
    holder.receive(offer.uri)
    return holder


def _ask(client: TestClient, min_ects: str, field: str = "") -> str:
    data = {"min_ects": min_ects, "field": field}
    data["csrf_token"] = form_token(client, "/verifier/wallet")
    made = client.post("/verifier/wallet", data=data, follow_redirects=False)
    assert made.status_code == 303, made.text
    return str(made.headers["location"])


def test_staff_asks_a_wallet_and_sees_only_what_it_disclosed(
    site: Site, holder_with_sd_jwt: Holder
) -> None:
    staff = sign_in(TestClient(site.app), OFFICER)
    request_page = _ask(staff, "5", "06")
    page = staff.get(request_page).text
    assert 'src="data:image/png;base64,' in page
    assert 'hx-get="' + request_page + '/result"' in page  # polls until answered
    assert "Waiting for the wallet" in page
    link = _href(page, "request-link")
    assert link.startswith("openid4vp://")

    answer = holder_with_sd_jwt.present_to(link, ["title", "ects", "isced_f"])
    assert answer.status_code == 200, answer.text

    result = staff.get(f"{request_page}/result")
    assert result.headers["cache-control"] == "no-store"
    assert "hx-get" not in result.text  # answered: polling stops
    assert "Verified." in result.text
    disclosed = re.search(r'data-testid="disclosed">(.*?)</dl>', result.text, re.S)
    assert disclosed is not None
    names = re.findall(r"<dt>([^<]+)</dt>", disclosed.group(1))
    assert set(names) <= {"title", "ects", "isced_f", "iss", "vct"} and "ects" in names
    for secret in ("Jana", "Nowak", "1990-05-17", LEARNER):
        assert secret not in result.text


def test_presentation_short_of_the_ects_asked_is_shown_failed(
    site: Site, holder_with_sd_jwt: Holder
) -> None:
    staff = sign_in(TestClient(site.app), OFFICER)
    request_page = _ask(staff, "30")
    link = _href(staff.get(request_page).text, "request-link")
    holder_with_sd_jwt.present_to(link, ["title", "ects"])
    result = staff.get(f"{request_page}/result").text
    assert "Not verified." in result and "request" in result


def test_bad_request_values_are_refused_and_make_nothing(site: Site) -> None:
    staff = sign_in(TestClient(site.app), OFFICER)
    for min_ects, field, message in (("five", "", "ECTS must be a number"), ("5", "x1", "ISCED")):
        data = {"min_ects": min_ects, "field": field}
        data["csrf_token"] = form_token(staff, "/verifier/wallet")
        refused = staff.post("/verifier/wallet", data=data)
        assert refused.status_code == 422 and message in refused.text
    assert staff.post("/verifier/wallet", data={"min_ects": "5"}).status_code == 403  # no token


def test_only_staff_ask_and_only_the_asker_reads_the_answer(
    site: Site, anonymous: TestClient
) -> None:
    to_login = anonymous.get("/verifier/wallet", follow_redirects=False)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login")
    assert sign_in(TestClient(site.app), LEARNER).get("/verifier/wallet").status_code == 403
    request_page = _ask(sign_in(TestClient(site.app), OFFICER), "5")
    someone_else = sign_in(TestClient(site.app), DESIGNER)
    assert someone_else.get(request_page).status_code == 404
    assert someone_else.get(f"{request_page}/result").status_code == 404
    assert someone_else.get("/verifier/wallet/not-a-uuid").status_code == 404


def test_only_the_asker_reads_the_answer_through_the_api(site: Site) -> None:
    request_page = _ask(sign_in(TestClient(site.app), OFFICER), "5")
    request_id = request_page.rsplit("/", 1)[1]
    api_path = f"/api/oid4vp/requests/{request_id}"
    asker = sign_in(TestClient(site.app), OFFICER)
    someone_else = sign_in(TestClient(site.app), DESIGNER)

    assert asker.get(api_path).json() == {"state": "pending"}
    refused = someone_else.get(api_path)
    missing = someone_else.get("/api/oid4vp/requests/00000000-0000-0000-0000-000000000000")
    assert refused.status_code == 404 and missing.status_code == 404
    assert refused.json()["detail"].replace(request_id, "ID") == missing.json()["detail"].replace(
        "00000000-0000-0000-0000-000000000000", "ID"
    )
    assert someone_else.get("/api/oid4vp/requests/not-a-uuid").status_code == 404
