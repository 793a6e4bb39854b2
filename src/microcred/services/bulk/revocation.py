"""The preview of a bulk revocation: which credentials a list names, and the rows that name none.

A row names a credential by its ``credential_id`` column, or names the learner as a gradebook
does (e-mail, institutional id or DID; our template, Moodle or Canvas). Only credentials
awarded from the specification being worked on are accepted: a list cannot reach another
specification's, or another institution's, credentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from microcred.services.award_input import LearnerInput, learner_key
from microcred.services.awards import AwardRecord, Awards
from microcred.services.bulk.columns import layout_help, layout_of
from microcred.services.bulk.gradebook import Gradebook, GradebookUnreadable
from microcred.services.bulk.preview import RejectedRow
from microcred.store.awards_tables import AwardRow

CREDENTIAL_COLUMNS = ("credential_id", "credential", "id")


@dataclass(frozen=True)
class Revocation:
    """A row naming a credential of the specification."""

    row: int
    credential_id: str
    learner_name: str | None
    raw: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "credential_id": self.credential_id, "raw": self.raw}


@dataclass(frozen=True)
class RevocationList:
    columns: list[str]
    accepted: list[Revocation] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


def revocation_list(gradebook: Gradebook, awards: Awards, spec_id: str) -> RevocationList:
    """Return the credentials of ``spec_id`` that each row of ``gradebook`` names."""
    column = next((c for c in CREDENTIAL_COLUMNS if c in gradebook.columns), None)
    layout = layout_of(gradebook.columns)
    if column is None and layout is None:
        raise GradebookUnreadable(
            "name each credential in a 'credential_id' column, or "
            + layout_help().replace("use", "the learners in", 1)
        )
    result = RevocationList(columns=gradebook.columns)
    seen: dict[str, int] = {}
    for number, cells in gradebook.rows:
        if layout is not None and column is None and layout.skip(cells):
            continue
        if column is not None:
            award = _by_credential(awards, spec_id, cells.get(column, ""))
        else:
            assert layout is not None
            award = _by_learner(awards, spec_id, layout.fields(cells))
        if award is None:
            reason = "no credential of this specification matches this row"
            result.rejected.append(RejectedRow(number, [reason], cells))
        elif award.credential_id in seen:
            reason = f"the same credential as row {seen[award.credential_id]}"
            result.rejected.append(RejectedRow(number, [reason], cells))
        else:
            seen[award.credential_id] = number
            result.accepted.append(
                Revocation(number, award.credential_id, award.learner_name, cells)
            )
    return result


def job_revocations(awards: Awards, institution: str, job_id: str) -> RevocationList:
    """Return the credentials a job awarded, to revoke them all."""
    made = awards.list(institution, job_id=job_id, limit=1_000_000)
    rows = [
        Revocation(number, award.credential_id, award.learner_name, {})
        for number, award in enumerate(reversed(made), start=1)
    ]
    return RevocationList(columns=[], accepted=rows)


def _by_credential(awards: Awards, spec_id: str, credential_id: str) -> AwardRecord | None:
    award = awards.by_credential(credential_id.strip()) if credential_id.strip() else None
    return award if award is not None and award.specification_id == spec_id else None


def _by_learner(awards: Awards, spec_id: str, fields: dict[str, str]) -> AwardRecord | None:
    try:
        learner = LearnerInput(
            email=fields.get("email"),
            institutional_id=fields.get("institutional_id"),
            did=fields.get("did"),
        )
        kind, _, value = learner_key(learner).partition(":")
    except ValueError:
        return None
    column = {
        "institutional_id": AwardRow.learner_institutional_id,
        "email": AwardRow.learner_email,
        "did": AwardRow.learner_did,
    }[kind]
    statement = (
        sa.select(AwardRow.id)
        .where(AwardRow.specification_id == spec_id, column == value)
        .where(AwardRow.replaced_by.is_(None))
        .order_by(AwardRow.attempt.desc())
        .limit(1)
    )
    with awards.db.transaction(write=False) as session:
        award_id = session.scalar(statement)
    return awards.get(str(award_id)) if award_id is not None else None
