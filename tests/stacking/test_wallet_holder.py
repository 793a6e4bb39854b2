"""Whose credential it is: a wallet flags an imported credential that names someone else and
does not count it; each credential counts once; a shared page names the wallet's owner."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from stacking_support import LEARNER, Stack

from microcred.formats.ob3.identity import identity_hash, names_holder
from microcred.formats.pdf import CertificateData, render_certificate
from microcred.services.learner_record import learner_record_pdf
from microcred.store.accounts_tables import UserRow
from microcred.store.status_tables import IssuedCredentialRow
from support.examples import example_specification

SOMEONE_ELSE = ("Max Mustermann", "max@example.org")


def record_text(stack: Stack) -> str:
    wallet = stack.wallet
    pdf = learner_record_pdf(LEARNER, wallet.credentials(LEARNER), wallet.holder_name(LEARNER))
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_someone_elses_credential_is_imported_flagged_and_not_counted(stack: Stack) -> None:
    foreign = stack.foreign_credential(ects=5, learner=SOMEONE_ELSE)
    entry = stack.wallet.import_credential(LEARNER, foreign, "file")
    assert entry.someone_else
    [listed] = stack.wallet.credentials(LEARNER)
    assert listed.someone_else
    assert stack.wallet.held(LEARNER) == []  # no pathway counts it
    text = record_text(stack)
    assert "Not counted: the credential names someone else" in text
    assert "Verified credentials total 0 ECTS" in text


def test_the_learners_own_credential_from_elsewhere_is_not_flagged(stack: Stack) -> None:
    entry = stack.wallet.import_credential(LEARNER, stack.foreign_credential(ects=5), "file")
    assert not entry.someone_else
    assert [held.id for held in stack.wallet.held(LEARNER)] == [entry.id]
    assert "Verified credentials total 5 ECTS" in record_text(stack)


def test_a_credential_issued_here_and_imported_again_counts_once(stack: Stack) -> None:
    award = stack.award(stack.part_one)
    with stack.awards.db.transaction(write=False) as session:
        document = session.get(IssuedCredentialRow, award.credential_id).document
    stack.wallet.import_credential(LEARNER, document, "file")
    listed = stack.wallet.credentials(LEARNER)
    assert [entry.id for entry in listed] == [award.credential_id]
    assert [held.id for held in stack.wallet.held(LEARNER)] == [award.credential_id]
    text = record_text(stack)
    assert "1 credentials" in text and "Verified credentials total 5 ECTS" in text


def test_learner_record_and_shared_page_name_the_learner(stack: Stack) -> None:
    _rename(stack, "Jana Nowak")
    award = stack.award(stack.part_one)
    assert record_text(stack).startswith("Learner record\nJana Nowak\njana@example.org")
    _link, token = stack.wallet.create_share_link(LEARNER, [award.credential_id])
    link, shared = stack.wallet.shared(token)
    assert link.holder_name == "Jana Nowak"
    assert [entry.id for entry in shared] == [award.credential_id]


def _rename(stack: Stack, name: str) -> None:
    with stack.awards.db.transaction() as session:
        session.query(UserRow).filter(UserRow.email == LEARNER).one().display_name = name


def identified(**identity: object) -> dict:
    return {"credentialSubject": {"identifier": [{"type": "IdentityObject", **identity}]}}


@pytest.mark.parametrize(
    ("credential", "expected"),
    [
        (identified(identityType="emailAddress", hashed=False, identityHash=LEARNER), True),
        (
            identified(identityType="emailAddress", hashed=False, identityHash="Jana@Example.ORG"),
            True,
        ),
        (
            identified(
                identityType="emailAddress",
                hashed=True,
                salt="s4lt",
                identityHash=identity_hash(LEARNER, "s4lt"),
            ),
            True,
        ),
        (
            identified(
                identityType="emailAddress",
                hashed=True,
                salt="s4lt",
                identityHash=identity_hash("max@example.org", "s4lt"),
            ),
            False,
        ),
        (identified(identityType="name", hashed=False, identityHash="Jana Nowak"), True),
        (identified(identityType="name", hashed=False, identityHash="Max Mustermann"), False),
        ({"credentialSubject": {"id": "did:key:z6Mk"}}, None),
        ("not a credential", None),
    ],
    ids=["email", "email-case", "hashed", "hashed-other", "name", "other-name", "none", "junk"],
)
def test_names_holder_compares_email_first_then_name(credential, expected) -> None:
    assert names_holder(credential, LEARNER, "Jana Nowak") is expected


def test_the_pdf_certificate_imports_the_credential_it_carries(stack: Stack) -> None:
    foreign = stack.foreign_credential(ects=5)
    certificate = CertificateData(
        specification=example_specification(),
        learner_name="Jana Nowak",
        institution_name="Koivula University of Applied Sciences",
        issued_on=datetime.now(UTC),
        public_url="https://credentials.koivula.example/c/1",
        credential_id=foreign["id"],
        credential_file=json.dumps(foreign).encode(),
    )
    entry = stack.wallet.import_credential(LEARNER, render_certificate(certificate), "file")
    assert entry.id == foreign["id"] and not entry.someone_else
