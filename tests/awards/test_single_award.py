"""One award: the credential is signed, stored with its status entries and its award row, once."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardError, AwardRecord, Awards
from microcred.services.issuing import IssuingError
from microcred.store.awards_tables import AwardRow
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow, StatusAllocationRow

JANA = LearnerInput(name="Jana Nowak", email="Jana.Nowak@Example.org", language="pl")


def count(database: Database, table: type) -> int:
    with database.transaction(write=False) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def test_award_stores_credential_status_entries_and_award_row(
    awards: Awards, published: str, database: Database
) -> None:
    award = awards.award(published, None, JANA, grade="1.7", awarded_on=date(2025, 3, 1))
    assert award.learner_email == "jana.nowak@example.org"
    assert award.specification_version == 1 and award.attempt == 1
    with database.transaction(write=False) as session:
        credential = session.get(IssuedCredentialRow, award.credential_id)
        assert credential is not None
        assert credential.document["credentialSubject"]["result"]
        entries = session.scalars(
            sa.select(StatusAllocationRow).where(
                StatusAllocationRow.credential_id == award.credential_id
            )
        ).all()
    assert {entry.purpose for entry in entries} == {"revocation", "suspension"}
    assert awards.get(award.id) == award
    assert awards.by_credential(award.credential_id) == award


def test_same_award_twice_returns_the_first_and_issues_nothing(
    awards: Awards, published: str, database: Database
) -> None:
    first = awards.award(published, None, JANA, grade="1.7")
    again = awards.award(
        published, 1, LearnerInput(name="Jana Nowak", email=" JANA.NOWAK@example.org ")
    )
    assert again.id == first.id
    assert count(database, IssuedCredentialRow) == 1
    second_attempt = awards.award(published, None, JANA, grade="1.3", attempt=2)
    assert second_attempt.id != first.id
    assert count(database, IssuedCredentialRow) == 2


def test_unknown_grade_is_refused_and_nothing_is_stored(
    awards: Awards, published: str, database: Database
) -> None:
    with pytest.raises(AwardError) as refused:
        awards.award(published, None, JANA, grade="A+")
    assert refused.value.problems[0].field == "grade"
    assert "1.0, 1.3" in refused.value.problems[0].message
    assert count(database, IssuedCredentialRow) == 0
    assert count(database, AwardRow) == 0


def test_missing_required_name_and_future_date_are_both_named(
    awards: Awards, published: str
) -> None:
    with pytest.raises(AwardError) as refused:
        awards.award(published, None, LearnerInput(email="a@b.org"), awarded_on=date(2999, 1, 1))
    assert {problem.field for problem in refused.value.problems} == {"name", "awarded_on"}


def test_a_draft_version_cannot_be_awarded(awards: Awards, published: str) -> None:
    catalogue = awards.issuer.catalogue
    changed = catalogue.get(published).specification.model_copy(update={"local_label": "MOOC"})
    draft = catalogue.update(published, changed)
    assert draft.version == 2
    with pytest.raises(IssuingError, match="draft"):
        awards.award(published, 2, JANA)


def test_on_issued_hooks_run_after_commit_and_a_failing_hook_keeps_the_award(
    awards: Awards, published: str, database: Database
) -> None:
    seen: list[AwardRecord] = []

    def broken(award: AwardRecord) -> None:
        raise RuntimeError("mail server down")

    def remember(award: AwardRecord) -> None:
        # Runs after the commit: the award is visible from another transaction.
        seen.append(awards.get(award.id))

    awards.on_issued.extend([broken, remember])
    award = awards.award(published, None, JANA)
    assert seen == [award]
    assert count(database, AwardRow) == 1
    awards.award(published, None, JANA)
    assert len(seen) == 1  # an award found again is not delivered again


def test_list_filters_by_specification_and_email(awards: Awards, published: str) -> None:
    awards.award(published, None, JANA)
    awards.award(published, None, LearnerInput(name="Ola Berg", email="ola@example.org"))
    assert len(awards.list("uni-example")) == 2
    assert [a.learner_name for a in awards.list("uni-example", email="OLA@example.org")] == [
        "Ola Berg"
    ]
    assert awards.list("uni-example", spec_id="00000000-0000-0000-0000-000000000000") == []
