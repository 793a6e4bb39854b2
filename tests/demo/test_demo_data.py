"""`microcred demo` seeds credentials people can follow: issued, claimed, suspended, revoked,
a pathway that awards itself, a learner and an officer, and an outbox for its e-mail."""

from __future__ import annotations

import re

from demo_support import BASE_URL, Seeded, seed
from fastapi.testclient import TestClient

from api.app_fixtures import log_in
from microcred.domain.accounts import Role
from microcred.services.accounts import Accounts
from microcred.services.delivery.claims import Claims
from microcred.services.delivery.outbox import DEMO_OUTBOX
from microcred.services.demo_accounts import LEARNER_EMAIL
from microcred.services.demo_awards import DEMO_AWARDS, PATHWAY_INSTITUTION
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify.report import Verdict

LUKAS = "lukas.berger@learner.example"
OFFICER = "recognition-officer@uni-kaltenbach.example"


def credential_count(seeded: Seeded) -> int:
    with seeded.database.transaction(write=False) as session:
        return session.query(IssuedCredentialRow).count()


def test_seeding_twice_issues_nothing_the_second_time(seeded: Seeded) -> None:
    issued = credential_count(seeded)
    assert len(seeded.result.made) == len(DEMO_AWARDS)
    assert issued == len(DEMO_AWARDS) + 1  # and the pathway's stacked credential
    again = seed(seeded.database, seeded.settings)

    assert again.result.made == []
    assert len(again.result.existing) == len(DEMO_AWARDS)
    assert credential_count(seeded) == issued
    assert len(seeded.pathways.list(PATHWAY_INSTITUTION)) == 1
    assert len(again.result.stacked) == 1
    # Only the links still waiting are e-mailed afresh: the outbox does not outlive a run.
    waiting = {award.email for award in DEMO_AWARDS if award.fate == "waiting"}
    sent_again = [m.to for m in DEMO_OUTBOX.messages() if m.id > again.outbox_mark]
    assert sorted(sent_again) == sorted(waiting)


def credential_of(seeded: Seeded, fate: str) -> str:
    [award] = [a for a in DEMO_AWARDS if a.fate == fate]
    [record] = [r for r in seeded.result.made if r.learner_email == award.email]
    return record.credential_id


def test_the_suspended_and_the_revoked_credential_verify_as_such(seeded: Seeded) -> None:
    issuer = seeded.awards.issuer
    checker = InstanceVerifier(issuer.keys, issuer.status, seeded.settings)
    for fate in ("suspended", "revoked"):
        credential_id = credential_of(seeded, fate)
        document = issuer.status.status_of(credential_id)
        assert document.state == fate
        with seeded.database.transaction(write=False) as session:
            signed = session.get(IssuedCredentialRow, credential_id).document
        report = checker.verify(signed)
        assert report.verdict == Verdict.failed, report.summary
        assert report.failed_check == "status"
        assert fate in report.summary


def test_the_learner_holds_the_pathways_stacked_credential_awarded_by_itself(
    seeded: Seeded,
) -> None:
    [stacked] = seeded.result.stacked
    assert stacked.learner_email == LEARNER_EMAIL
    issuer = seeded.awards.issuer
    wallet = Wallet(seeded.database, InstanceVerifier(issuer.keys, issuer.status, seeded.settings))
    held = {credential.id for credential in wallet.held(LEARNER_EMAIL)}
    assert stacked.credential_id in held
    assert len(held) == 3  # both parts and the stacked credential, all verifying


def test_claimed_credentials_are_claimed_and_the_others_wait(seeded: Seeded) -> None:
    claims = Claims(seeded.database)
    for award in seeded.result.made:
        claim = claims.by_credential(award.credential_id)
        assert claim is not None
        if award.learner_email == LEARNER_EMAIL:
            assert claim.confirmed_at is not None
        else:
            assert claim.confirmed_at is None and claim.emailed_at is not None


def test_learner_and_recognition_officer_accounts_sign_in(
    seeded: Seeded, demo_client: TestClient
) -> None:
    roles = {account.email: account.role for account in seeded.accounts}
    assert roles[LEARNER_EMAIL] == "learner"
    assert roles[OFFICER] == "recognition-officer at uni-kaltenbach"
    officer = Accounts(seeded.database).get(OFFICER)
    assert officer.roles == {"uni-kaltenbach": frozenset({Role.recognition_officer})}
    log_in(demo_client, LEARNER_EMAIL, seeded.password_of(LEARNER_EMAIL))
    wallet = demo_client.get("/wallet")
    assert wallet.status_code == 200
    assert "Data Literacy for Public Administration" in wallet.text


def test_outbox_lists_and_shows_the_claim_email_with_a_working_link(
    demo_client: TestClient,
) -> None:
    listing = demo_client.get("/demo/outbox")
    assert listing.status_code == 200
    [row, *_older] = [r for r in re.findall(r"<tr>.*?</tr>", listing.text, re.S) if LUKAS in r]
    number = re.search(r'href="/demo/outbox/(\d+)"', row)
    assert number, listing.text
    message = demo_client.get(f"/demo/outbox/{number.group(1)}")
    link = re.search(r'<a href="' + re.escape(BASE_URL) + r'(/claim/[\w-]+)"', message.text)
    assert link, message.text
    assert demo_client.get(link.group(1)).status_code == 200
    html = demo_client.get(f"/demo/outbox/{number.group(1)}/html")
    assert html.status_code == 200 and link.group(1) in html.text


def test_outbox_is_not_found_outside_demo_mode(normal_client: TestClient) -> None:
    for path in ("/demo/outbox", "/demo/outbox/1", "/demo/outbox/1/html"):
        assert normal_client.get(path).status_code == 404


def test_outbox_has_no_message_for_a_number_it_never_kept(demo_client: TestClient) -> None:
    assert demo_client.get("/demo/outbox/999999").status_code == 404
    assert demo_client.get("/demo/outbox/not-a-number").status_code in (404, 422)
