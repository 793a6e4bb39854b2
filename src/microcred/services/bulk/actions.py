"""What a bulk job does with one chunk of rows: award, revoke or re-issue.

Each function returns a `ChunkOutcome`: how many rows were done, how many had been done before
(unchanged) and the failed rows with their reasons. Awarding runs inside the chunk's
transaction (``session``), as one batch, so a chunk is committed whole or not at all; a re-run
of a chunk finds the awards by their idempotency keys and issues nothing twice. Revoking and
re-issuing change status lists, which commit on their own; both are safe to run again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.services.award_input import LearnerInput, learner_key
from microcred.services.awards import AwardError, AwardRecord, Awards
from microcred.services.bulk.awarding import AwardRequest, PreparedAwards, award_many
from microcred.services.bulk.preview import BulkRow
from microcred.services.bulk.signing import shared_pool
from microcred.services.catalogue import CatalogueError
from microcred.services.issuing import IssuingError
from microcred.services.status import StatusError
from microcred.store.awards_tables import AwardRow

REPLACED = "replaced"


@dataclass
class ChunkOutcome:
    done: int = 0
    unchanged: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    new_awards: list[AwardRecord] = field(default_factory=list)

    def fail(self, row: dict[str, Any], reason: str) -> None:
        self.failures.append({"row": row["row"], "reason": reason, "raw": row.get("raw", {})})


def award_rows(
    awards: Awards,
    payload: dict[str, Any],
    rows: list[dict[str, Any]],
    session: Session,
    prepared: PreparedAwards | None = None,
) -> ChunkOutcome:
    """Award every row in ``session`` as one batch; a refused row is a failure, the others go
    on (see `awarding.award_many`). ``prepared`` is these rows' work done ahead, if any."""
    outcome = ChunkOutcome()
    if prepared is not None:
        record, requests = prepared.record, prepared.requests
    else:
        record = awards.issuable(payload["spec_id"], payload["version"])
        requests = award_requests(rows)
    try:
        results = award_many(
            awards,
            session,
            record,
            requests,
            institution=payload["institution"],
            job_id=payload["job_id"],
            pool=shared_pool(),
            prepared=prepared,
        )
    except IssuingError as error:  # nothing in this chunk can be issued
        for data in rows:
            outcome.fail(data, str(error))
        return outcome
    for data, result in zip(rows, results, strict=True):
        if isinstance(result, AwardError | IssuingError):
            outcome.fail(data, str(result))
        elif result[1]:
            outcome.done += 1
            outcome.new_awards.append(result[0])
        else:
            outcome.unchanged += 1
    return outcome


def award_requests(rows: list[dict[str, Any]]) -> list[AwardRequest]:
    """Return the award requests of a bulk award's rows, in order."""
    requests = []
    for data in rows:
        row = BulkRow.from_json(data)
        requests.append(AwardRequest(row.learner, row.grade, row.awarded_on))
    return requests


def revoke_rows(
    awards: Awards, payload: dict[str, Any], rows: list[dict[str, Any]]
) -> ChunkOutcome:
    """Revoke the credential of every row (by credential id or learner); revoked ones stay so."""
    outcome = ChunkOutcome()
    found: dict[str, dict[str, Any]] = {}
    for data in rows:
        credential_id = _credential_of(awards, payload, data)
        if credential_id is None:
            outcome.fail(data, "no award of this specification to this learner")
        else:
            found[credential_id] = data
    if found:
        try:
            result = awards.issuer.status.revoke_many(
                list(found), reason=payload["reason"], actor=payload["actor"]
            )
        except StatusError as error:
            for data in found.values():
                outcome.fail(data, str(error))
            return outcome
        outcome.done += len(result.revoked)
        outcome.unchanged += len(result.already_revoked)
    return outcome


def reissue_rows(
    awards: Awards, payload: dict[str, Any], rows: list[dict[str, Any]]
) -> ChunkOutcome:
    """Re-issue every row with its corrected data: a new award, the old one revoked "replaced"."""
    outcome = ChunkOutcome()
    for data in rows:
        row = BulkRow.from_json(data)
        old = _current_award(awards, payload, data)
        if old is None:
            outcome.fail(data, "no award of this specification to this learner to re-issue")
            continue
        try:
            new, created = awards.reissue(
                old.id,
                row.learner,
                grade=row.grade,
                awarded_on=row.awarded_on,
                actor=payload["actor"],
                reason=payload.get("reason") or REPLACED,
            )
        except (AwardError, IssuingError, StatusError, CatalogueError) as error:
            outcome.fail(data, str(error))
            continue
        if created:
            outcome.done += 1
            outcome.new_awards.append(new)
        else:
            outcome.unchanged += 1
    return outcome


def _credential_of(awards: Awards, payload: dict[str, Any], data: dict[str, Any]) -> str | None:
    if data.get("credential_id"):
        # Only a credential of the job's specification: a list never reaches anyone else's.
        named = awards.by_credential(str(data["credential_id"]))
        return (
            named.credential_id if named and named.specification_id == payload["spec_id"] else None
        )
    award = _current_award(awards, payload, data, latest_only=False)
    return award.credential_id if award is not None else None


def _current_award(
    awards: Awards, payload: dict[str, Any], data: dict[str, Any], latest_only: bool = True
) -> AwardRecord | None:
    """Return the learner's award of the job's specification that no other award replaced."""
    learner = LearnerInput.model_validate(data["learner"])
    key = learner_key(learner)
    kind, _, value = key.partition(":")
    column = {
        "institutional_id": AwardRow.learner_institutional_id,
        "email": AwardRow.learner_email,
        "did": AwardRow.learner_did,
    }[kind]
    statement = sa.select(AwardRow.id).where(
        AwardRow.specification_id == payload["spec_id"], column == value
    )
    if latest_only:
        statement = statement.where(AwardRow.replaced_by.is_(None))
    with awards.db.transaction(write=False) as session:
        award_id = session.scalar(statement.order_by(AwardRow.attempt.desc()).limit(1))
    return awards.get(str(award_id)) if award_id is not None else None
