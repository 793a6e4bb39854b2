"""Who sees an institution's analytics (its administrators, auditors and registrars), and that
neither the JSON, the page nor the CSV says anything about a learner."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from analytics_support import EMIL, JANA, SLUG, World
from test_counts import play_scenario

from microcred.services.accounts import Accounts
from microcred.services.analytics import credential_hash
from microcred.store.analytics_tables import VerificationEventRow

API = f"/api/institutions/{SLUG}/analytics"


@pytest.mark.parametrize("role", ["administrator", "auditor", "registrar"])
def test_institution_staff_who_may_read_analytics_get_them(world: World, role: str) -> None:
    play_scenario(world)
    answer = world.client.get(API, headers=world.token(f"{role}@th-lahntal.example"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["totals"]["issued"] == 4


def test_a_designer_of_the_institution_is_refused_with_403(world: World) -> None:
    answer = world.client.get(API, headers=world.token("designer@th-lahntal.example"))
    assert answer.status_code == 403
    assert "read-analytics" in answer.json()["detail"]


def test_a_registrar_of_another_institution_is_refused_with_403(world: World) -> None:
    answer = world.client.get(API, headers=world.token("registrar@koivula.example"))
    assert answer.status_code == 403


def test_a_learner_is_refused_and_anonymous_must_sign_in(world: World) -> None:
    assert world.client.get(API, headers=world.token(JANA[1])).status_code == 403
    assert world.client.get(API).status_code == 401
    page = world.client.get(f"/analytics?institution={SLUG}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    csv_file = world.client.get(f"/analytics/activity.csv?institution={SLUG}")
    assert csv_file.url.path == "/login"


def test_a_token_without_the_read_scope_is_refused(world: World) -> None:
    headers = world.token("administrator@th-lahntal.example", scopes=("issue",))
    answer = world.client.get(API, headers=headers)
    assert answer.status_code == 403
    assert "'read' scope" in answer.json()["detail"]


def test_an_unknown_institution_is_404(world: World) -> None:
    headers = world.token("administrator@th-lahntal.example")
    answer = world.client.get("/api/institutions/nowhere/analytics", headers=headers)
    assert answer.status_code == 404
    assert "nowhere" in answer.json()["detail"]


def test_a_month_not_written_yyyy_mm_is_refused_naming_the_parameter(world: World) -> None:
    headers = world.token("auditor@th-lahntal.example")
    answer = world.client.get(f"{API}?since=March", headers=headers)
    assert answer.status_code == 422
    assert "since" in answer.json()["detail"] and "YYYY-MM" in answer.json()["detail"]
    reversed_span = world.client.get(f"{API}?since=2025-06&until=2025-01", headers=headers)
    assert reversed_span.status_code == 422


def test_no_learner_data_in_the_json_the_page_or_the_csv(world: World) -> None:
    ids = play_scenario(world)
    headers = world.token("auditor@th-lahntal.example")
    outputs = [
        world.client.get(API, headers=headers).text,
        world.client.get(f"/analytics?institution={SLUG}", headers=headers).text,
        world.client.get(f"/analytics/activity.csv?institution={SLUG}", headers=headers).text,
    ]
    for text in outputs:
        for name, email in (JANA, EMIL):
            assert name not in text and email not in text
            assert email.split("@")[0] not in text
        for credential_id in ids.values():
            assert credential_id not in text
            assert credential_hash(credential_id) not in text


def test_a_verification_event_holds_no_credential_id_and_no_learner(world: World) -> None:
    ids = play_scenario(world)
    with world.database.transaction(write=False) as session:
        rows = session.execute(sa.select(VerificationEventRow)).scalars().all()
    assert len(rows) == 4
    stored = " ".join(str(value) for row in rows for value in vars(row).values())
    assert ids["jana_one"] not in stored
    assert JANA[1] not in stored and JANA[0] not in stored
    assert {row.credential_hash for row in rows} == {credential_hash(ids["jana_one"])}


def test_the_csv_has_one_row_per_specification_and_month(world: World) -> None:
    play_scenario(world)
    headers = world.token("registrar@th-lahntal.example")
    answer = world.client.get(f"/analytics/activity.csv?institution={SLUG}", headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0]) == [
        "specification_id", "specification", "month",
        "issued", "claimed", "verified", "revoked", "stacked",
    ]  # fmt: skip
    cleaning = [row for row in rows if row["specification"] == "Data cleaning"]
    assert [(row["month"], row["claimed"]) for row in cleaning][0] == ("2025-01", "1")
    assert sum(int(row["verified"]) for row in rows) == 4
    assert sum(int(row["issued"]) for row in rows) == 4


def test_the_dashboard_reads_in_german(world: World) -> None:
    play_scenario(world)
    headers = world.token("administrator@th-lahntal.example")
    page = world.client.get(f"/analytics?institution={SLUG}&lang=de", headers=headers)
    assert page.status_code == 200
    assert "Auswertung: TH Lahntal" in page.text
    assert "Prüfungen nach Kanal" in page.text


def test_staff_of_several_institutions_choose_one_first(world: World) -> None:
    Accounts(world.database).add_role(
        "auditor@th-lahntal.example", "koivula", "auditor", actor="test"
    )
    headers = world.token("auditor@th-lahntal.example")
    page = world.client.get("/analytics", headers=headers)
    assert page.status_code == 200
    assert 'href="/analytics?institution=koivula"' in page.text
    assert f'href="/analytics?institution={SLUG}"' in page.text
