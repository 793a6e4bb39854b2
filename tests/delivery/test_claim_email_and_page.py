"""The claim e-mail on issue, and the claim page behind a one-time code."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from delivery_support import confirm_claim, csrf_token, verify_here

from delivery.conftest import BASE_URL, World, claim_path, html_part, text_part
from microcred.config import Secret
from microcred.formats.pdf.elements import date_text
from microcred.jobs.context import job_context
from microcred.services.award_input import LearnerInput
from microcred.services.delivery.claims import (
    MAX_ATTEMPTS,
    Claims,
    CodeRefused,
    hash_token,
)
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.delivery.smtp import send_message
from microcred.store.delivery_tables import CredentialClaimRow


def test_issuing_emails_a_claim_link_in_plain_text_and_html(world: World) -> None:
    award = world.award()
    [message] = world.inbox.wait_for(1)
    assert message["To"] == "jana@example.org"
    assert message["From"] == "credentials@th-lahntal.example"
    assert message["Subject"] == "Your micro-credential: Data Literacy for Public Administration"
    path = claim_path(message)
    assert f"{BASE_URL}{path}" in html_part(message)
    assert "Hello Jana Nowak," in text_part(message)
    # The specification is valid for three years from the day of issue.
    until = date_text(award.issued_at.replace(year=award.issued_at.year + 3), "en")
    assert f"It is valid until {until}." in text_part(message)


def test_a_hook_run_again_after_a_crash_does_not_email_twice(world: World) -> None:
    award = world.award()
    world.inbox.wait_for(1)
    mailer = ClaimMailer(world.catalogue, world.issuer.status, world.settings)
    mailer.on_issued(award)  # as the job runner does for hooks owed after a crash
    # A marker sent after the hook returned: once it is in, a second link would be in too.
    marker = EmailMessage()
    marker["To"], marker["Subject"] = "marker@example.org", "sent after the hook ran again"
    marker.set_content("marker")
    send_message(world.settings, marker)
    messages = world.inbox.wait_for(2)
    assert [message["To"] for message in messages] == ["jana@example.org", "marker@example.org"]


def test_email_is_in_the_learners_language_when_the_specification_has_it(world: World) -> None:
    world.award(language="de")
    [message] = world.inbox.wait_for(1)
    assert message["Subject"] == (
        "Ihr Micro-Credential: Datenkompetenz für die öffentliche Verwaltung"
    )
    assert message["Content-Language"] == "de"
    assert "Hallo Jana Nowak," in text_part(message)


def test_a_language_the_specification_lacks_falls_back_to_its_own(world: World) -> None:
    world.award(language="fi")
    [message] = world.inbox.wait_for(1)
    assert message["Subject"].endswith("Data Literacy for Public Administration")


def test_claim_link_leads_to_a_credential_that_verifies(world: World) -> None:
    award = world.award()
    path = confirm_claim(world)
    download = world.client.get(f"{path}/credential.json")
    assert download.status_code == 200
    assert download.headers["content-disposition"] == 'attachment; filename="credential.json"'
    credential = json.loads(download.content)
    assert credential["id"] == award.credential_id
    report = verify_here(world, credential)
    assert report.verified, report.summary
    assert report.check("proof").status == "ok"
    assert report.check("status").status == "ok"


def test_downloads_stay_locked_until_the_code_is_confirmed(world: World) -> None:
    world.award()
    path = claim_path(world.inbox.wait_for(1)[0])
    page = world.client.get(path)
    assert "Your downloads" not in page.text
    assert "j***@example.org" in page.text  # the address, not spelled out in full
    for name in ("credential.json", "certificate.pdf", "badge.png"):
        assert world.client.get(f"{path}/{name}").status_code == 403


def test_a_wrong_code_uses_a_try_and_unlocks_nothing(world: World) -> None:
    world.award()
    path = claim_path(world.inbox.wait_for(1)[0])
    page = world.client.get(path)
    sent = world.client.post(f"{path}/code", data={"csrf_token": csrf_token(page.text)})
    world.inbox.wait_for(2)
    wrong = world.client.post(
        f"{path}/confirm", data={"csrf_token": csrf_token(sent.text), "code": "000000x"}
    )
    assert wrong.status_code == 400
    assert f"{MAX_ATTEMPTS - 1} tries left" in wrong.text
    assert world.client.get(f"{path}/credential.json").status_code == 403


def test_an_unknown_claim_link_is_not_found(world: World) -> None:
    response = world.client.get("/claim/not-a-real-token")
    assert response.status_code == 404
    assert "not valid" in response.text


def test_token_and_code_are_stored_only_as_hashes(world: World) -> None:
    award = world.award()
    token = claim_path(world.inbox.wait_for(1)[0]).removeprefix("/claim/")
    claims = Claims(world.app.state.database)
    _claim, code = claims.new_code(token)
    with world.app.state.database.transaction(write=False) as session:
        row = session.scalar(
            sa.select(CredentialClaimRow).where(
                CredentialClaimRow.credential_id == award.credential_id
            )
        )
        assert row is not None
        stored = " ".join(str(value) for value in row.__dict__.values())
    assert row.token_hash == hash_token(token)
    assert token not in stored
    assert code not in (row.code_hash or "")


def test_a_code_expires(world: World) -> None:
    world.award()
    token = claim_path(world.inbox.wait_for(1)[0]).removeprefix("/claim/")
    claims = Claims(world.app.state.database)
    claim, code = claims.new_code(token)
    assert claim.code_expires_at is not None
    with pytest.raises(CodeRefused, match="expired"):
        claims.confirm(token, code, now=claim.code_expires_at + timedelta(seconds=1))
    assert claims.find(token).confirmed_at is None


def test_the_last_wrong_try_voids_the_code_even_for_the_right_code(world: World) -> None:
    world.award()
    token = claim_path(world.inbox.wait_for(1)[0]).removeprefix("/claim/")
    claims = Claims(world.app.state.database)
    _claim, code = claims.new_code(token)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(CodeRefused):
            claims.confirm(token, wrong)
    with pytest.raises(CodeRefused, match="new code"):
        claims.confirm(token, code)


def test_codes_cannot_be_asked_for_in_a_rapid_loop(world: World) -> None:
    world.award()
    path = claim_path(world.inbox.wait_for(1)[0])
    page = world.client.get(path)
    first = world.client.post(f"{path}/code", data={"csrf_token": csrf_token(page.text)})
    again = world.client.post(f"{path}/code", data={"csrf_token": csrf_token(first.text)})
    assert again.status_code == 429
    assert "wait" in again.text
    assert len(world.inbox.wait_for(2)) == 2  # the claim link and one code, no more


def test_without_an_smtp_server_the_award_stands_and_nothing_is_sent(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.settings.__dict__["smtp_host"] = ""  # frozen dataclass: a test-only change
    with caplog.at_level(logging.WARNING):
        award = world.award()
    assert world.awards.get(award.id).credential_id == award.credential_id
    assert world.inbox.messages == []
    assert "no SMTP server configured" in caplog.text


def test_the_smtp_password_never_reaches_the_log(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.settings.__dict__["smtp_password"] = Secret("s3cret-smtp-password")
    with caplog.at_level(logging.DEBUG):
        world.award()
        world.inbox.wait_for(1)
    assert "s3cret-smtp-password" not in caplog.text
    assert "s3cret-smtp-password" not in repr(world.settings)


def test_awards_made_by_job_workers_email_the_claim_link_too(world: World) -> None:
    context = job_context(world.settings, world.app.state.database)
    context.awards.award(
        world.spec_id, None, LearnerInput(name="Ola Berg", email="ola@example.org")
    )
    [message] = world.inbox.wait_for(1)
    assert message["To"] == "ola@example.org"
