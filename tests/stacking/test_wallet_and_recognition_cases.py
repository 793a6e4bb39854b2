"""The wallet keeps, re-checks and shares a learner's credentials; a recognition officer opens a
case from a share link, decides, and the decision is audited and exported."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from stacking_support import LEARNER, SLUG, Stack

from microcred.formats.baking import bake_svg
from microcred.services.audit import events_for
from microcred.services.recognition import Recognition, RecognitionError
from microcred.services.text_similarity import LexicalSimilarity
from microcred.services.wallet import ShareLinkInvalid, WalletError
from microcred.store.learner_wallet_tables import WalletImportRow, WalletShareLinkRow
from microcred.verify import verify_presentation
from microcred.verify.report import Verdict

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def test_wallet_lists_issued_credentials_by_email_and_rechecks_their_status(stack: Stack) -> None:
    award = stack.award(stack.part_one)
    [entry] = stack.wallet.credentials(LEARNER)
    assert (entry.id, entry.source, entry.verdict) == (
        award.credential_id,
        "issued here",
        Verdict.verified,
    )
    stack.issuer.status.revoke(award.credential_id, reason="error", actor="registrar")
    [again] = stack.wallet.credentials(LEARNER)
    assert again.verdict == Verdict.failed
    assert "status" in again.summary


def test_baked_badge_import_is_verified_and_kept_once(stack: Stack) -> None:
    foreign = stack.foreign_credential()
    badge = bake_svg(SVG, foreign)
    first = stack.wallet.import_credential(LEARNER, badge.encode(), "baked")
    second = stack.wallet.import_credential(LEARNER, badge.encode(), "baked")
    assert first.id == foreign["id"] and first.verdict == Verdict.verified
    assert second.import_id == first.import_id
    assert [c.id for c in stack.wallet.credentials(LEARNER)] == [foreign["id"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"{not json", "not valid JSON"),
        (b"hello", "not a credential"),
    ],
)
def test_unreadable_import_is_refused_and_nothing_is_stored(
    stack: Stack, data: bytes, message: str
) -> None:
    with pytest.raises(WalletError, match=message):
        stack.wallet.import_credential(LEARNER, data, "file")
    with stack.wallet.db.transaction(write=False) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(WalletImportRow)) == 0


def test_tampered_import_is_refused(stack: Stack) -> None:
    forged = stack.foreign_credential()
    forged["credentialSubject"]["achievement"]["name"] = "Something else"
    with pytest.raises(WalletError, match="does not verify"):
        stack.wallet.import_credential(LEARNER, forged, "file")


def test_share_link_shows_only_chosen_credentials_until_revoked(stack: Stack) -> None:
    one = stack.award(stack.part_one)
    stack.award(stack.part_two)
    link, token = stack.wallet.create_share_link(LEARNER, [one.credential_id], days=7)
    with stack.wallet.db.transaction(write=False) as session:
        stored = session.scalar(sa.select(WalletShareLinkRow.token_hash))
    assert stored != token and token not in stored  # only the hash is kept
    _, shown = stack.wallet.shared(token)
    assert [c.id for c in shown] == [one.credential_id]
    stack.wallet.revoke_share_link(LEARNER, link.id)
    with pytest.raises(ShareLinkInvalid):
        stack.wallet.shared(token)


def test_expired_share_link_is_refused(stack: Stack) -> None:
    one = stack.award(stack.part_one)
    link, token = stack.wallet.create_share_link(LEARNER, [one.credential_id], days=1)
    with stack.wallet.db.transaction() as session:
        row = session.get(WalletShareLinkRow, link.id)
        assert row is not None
        row.expires_at = row.created_at - timedelta(seconds=1)
    with pytest.raises(ShareLinkInvalid, match="expired"):
        stack.wallet.shared(token)


def test_share_link_of_a_credential_not_in_the_wallet_is_refused(stack: Stack) -> None:
    with pytest.raises(WalletError, match="is not in this wallet"):
        stack.wallet.create_share_link(LEARNER, ["urn:uuid:not-mine"], days=7)


def test_presentation_is_signed_by_the_holder_key_and_verifies(stack: Stack) -> None:
    award = stack.award(stack.part_one)
    presentation = stack.wallet.presentation(
        LEARNER, [award.credential_id], challenge="n-0S6_WzA2Mj", domain="verifier.example"
    )
    assert presentation["holder"] == stack.wallet.holder_did(LEARNER)
    report = verify_presentation(
        presentation,
        "n-0S6_WzA2Mj",
        "verifier.example",
        trust=stack.checker.registry(),
        resolve_key=None,
    )
    assert report.check("proof").status == "ok", report.summary
    assert report.check("issuer_binding").status == "ok", report.summary
    wrong = verify_presentation(presentation, "another-nonce", "verifier.example")
    assert wrong.verdict == Verdict.failed


def test_officer_opens_a_case_from_a_share_link_decides_and_exports(stack: Stack) -> None:
    foreign = stack.foreign_credential(outcomes=["Apply statistical methods to analyse data"])
    stack.wallet.import_credential(LEARNER, foreign, "file")
    _, token = stack.wallet.create_share_link(LEARNER, [foreign["id"]], days=7)
    recognition = Recognition(
        stack.catalogue, stack.checker, stack.wallet, similarity=LexicalSimilarity()
    )

    case = recognition.open_from_share_link(
        SLUG, token, foreign["id"], stack.part_one, actor="officer@th-lahntal.example"
    )
    assert case.source == "share-link" and case.decision is None
    assert case.report.method.startswith("lexical")
    with pytest.raises(RecognitionError, match="give the reason"):
        recognition.decide(case.id, "partial", actor="officer@th-lahntal.example")

    decided = recognition.decide(
        case.id, "partial", actor="officer@th-lahntal.example", ects=2.5, note="=one outcome"
    )
    assert (decided.decision, decided.decided_ects) == ("partial", 2.5)
    with pytest.raises(RecognitionError, match="decided already"):
        recognition.decide(case.id, "full", actor="someone@else.example", note="again")
    events = events_for(stack.catalogue.db, f"recognition:{case.id}")
    assert [e.action for e in events] == ["recognition.open", "recognition.decide"]
    assert events[-1].details["ects"] == 2.5

    [row] = list(csv.DictReader(io.StringIO(recognition.export_csv(SLUG))))
    assert (row["decision"], row["decided_ects"], row["credential_id"]) == (
        "partial",
        "2.5",
        foreign["id"],
    )
    assert row["decision_note"] == "'=one outcome"  # a note never becomes a formula
    exported = json.loads(recognition.export_json(SLUG))
    assert exported["cases"][0]["report"]["proposal"] == case.report.proposal


def test_case_for_another_institutions_module_is_refused(stack: Stack) -> None:
    stack.catalogue.ensure_institution("koivula", {"en": "Koivula"}, None)
    recognition = Recognition(stack.catalogue, stack.checker, similarity=LexicalSimilarity())
    with pytest.raises(RecognitionError, match="belongs to th-lahntal"):
        recognition.open_case("koivula", stack.foreign_credential(), stack.part_one, actor="x")
