"""Awarding a chunk of learners at once: the same awards as `Awards.award_in`, in a few
statements instead of a few per learner.

Inside the chunk's transaction: every row is checked; the awards made before are found by
their idempotency keys in one query; the new ones get their status entries in one claim per
purpose, are rendered and signed (by the signing pool when there is one: see `signing`), and
are stored with one multi-row INSERT each for credentials, awards and owed hooks. Should another
process make one of these awards meanwhile (the idempotency key is taken), the chunk's batch
work is undone and each row is awarded one by one, which keeps the other process's award.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.formats.ob3 import AwardData
from microcred.observability.metrics import CREDENTIALS_ISSUED
from microcred.services.award_hooks import owe_hooks_many
from microcred.services.award_input import LearnerInput, check_award_input, idempotency_key
from microcred.services.awards import (
    AwardError,
    AwardRecord,
    Awards,
    award_data,
    award_values,
    awards_by_key,
)
from microcred.services.bulk.signing import Refusal, SigningBatch, SigningPool, sign_all
from microcred.services.issuing import (
    DEFAULT_SUITE,
    IssuingError,
    SigningContext,
    with_default_validity,
)
from microcred.store import institutions
from microcred.store.awards_tables import AwardRow
from microcred.store.records import SpecificationRecord
from microcred.store.tables import utc_now

FORMAT = "ob3-di"


@dataclass(frozen=True)
class AwardRequest:
    """One learner to award, as a gradebook row gives it."""

    learner: LearnerInput
    grade: str | None = None
    awarded_on: date | None = None


# Per request: the award and whether it was made now, or why it was refused.
Outcome = tuple[AwardRecord, bool] | AwardError | IssuingError


@dataclass(frozen=True)
class _New:
    request: AwardRequest
    key: str
    awarded_on: date
    data: AwardData


def award_many(
    awards: Awards,
    session: Session,
    record: SpecificationRecord,
    requests: list[AwardRequest],
    *,
    institution: str | None = None,
    job_id: str | None = None,
    pool: SigningPool | None = None,
) -> list[Outcome]:
    """Award ``record`` to every request inside ``session``; return each request's outcome.

    The institution's signing key must exist already (`Awards.prepare`). Raises
    `IssuingError` only when no row can be issued (the institution may not issue ``record``).
    """
    now = utc_now()
    outcomes: dict[int, Outcome] = {}
    keys: dict[int, str] = {}
    for number, request in enumerate(requests):
        awarded = request.awarded_on or now.date()
        problems = check_award_input(
            record.specification, request.learner, request.grade, awarded, now.date()
        )
        if problems:
            outcomes[number] = AwardError(problems)
        else:
            keys[number] = idempotency_key(record.id, record.version, request.learner, 1)
    found: dict[str, AwardRecord | IssuingError] = dict(awards_by_key(session, list(keys.values())))
    new: dict[str, _New] = {}
    for number, key in keys.items():
        if key not in found and key not in new:
            request = requests[number]
            awarded = request.awarded_on or now.date()
            new[key] = _New(request, key, awarded, _award_data(request, awarded, now, record))
    if new:
        context = awards.issuer.signing_context(record, institution)
        try:
            with session.begin_nested():
                found.update(_issue(awards, session, record, context, new, now, job_id, pool))
        except sa.exc.IntegrityError:
            # Another process made one of these awards meanwhile: award row by row, which
            # keeps its award and makes the others.
            return [_one_by_one(awards, session, record, r, institution, job_id) for r in requests]
    made_now = set(new)  # a key twice in one chunk is made once: the second row finds it
    for number, key in keys.items():
        result = found[key]
        if isinstance(result, AwardRecord):
            outcomes[number] = (result, key in made_now)
            made_now.discard(key)
        else:
            outcomes[number] = result
    return [outcomes[number] for number in range(len(requests))]


def _award_data(
    request: AwardRequest, awarded: date, now: datetime, record: SpecificationRecord
) -> AwardData:
    data = award_data(request.learner, request.grade, awarded, now)
    return with_default_validity(data, record.specification.default_validity)


def _issue(
    awards: Awards,
    session: Session,
    record: SpecificationRecord,
    context: SigningContext,
    new: dict[str, _New],
    now: datetime,
    job_id: str | None,
    pool: SigningPool | None,
) -> dict[str, AwardRecord | IssuingError]:
    """Claim status entries, sign and store the new awards; return each by key."""
    status = awards.issuer.status
    pending = list(new.values())
    entries = status.allocate_entries_many(
        session, context.owner, [item.data.credential_id for item in pending]
    )
    batch = SigningBatch(
        specification=record.specification,
        issuer=context.issuer,
        spec_url=context.spec_url,
        spec_version=str(record.version),
        suite=DEFAULT_SUITE,
        verification_method=context.verification_method,
        awards=[(item.data, entries[item.data.credential_id]) for item in pending],
    )
    institution_id = _institution_id(session, context.owner)
    results: dict[str, AwardRecord | IssuingError] = {}
    start = 0
    for part in sign_all(batch, context.key, pool):  # stores each part as the next is signed
        items = pending[start : start + len(part)]
        start += len(part)
        results.update(
            _store(awards, session, record, context, institution_id, items, part, now, job_id)
        )
    refused = [
        item.data.credential_id
        for item in pending
        if not isinstance(results[item.key], AwardRecord)
    ]
    status.forget_entries(session, refused)
    return results


def _store(
    awards: Awards,
    session: Session,
    record: SpecificationRecord,
    context: SigningContext,
    institution_id: int,
    items: list[_New],
    signed: list[str | Refusal],
    now: datetime,
    job_id: str | None,
) -> dict[str, AwardRecord | IssuingError]:
    results: dict[str, AwardRecord | IssuingError] = {}
    documents: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for item, document in zip(items, signed, strict=True):
        if isinstance(document, Refusal):
            results[item.key] = document.error()
            continue
        credential_id = item.data.credential_id
        documents[credential_id] = document
        values = award_values(
            institution_id,
            record,
            credential_id,
            item.request.learner,
            grade=item.request.grade,
            awarded_on=item.awarded_on,
            now=now,
            key=item.key,
            attempt=1,
            job_id=job_id,
        )
        rows.append({"id": str(uuid.uuid4()), **values})
    if not rows:
        return results
    awards.issuer.status.record_issued_many(
        session,
        institution=context.owner,
        json_documents=documents,
        format=FORMAT,
        specification_id=record.id,
        specification_version=record.version,
    )
    session.connection().execute(sa.insert(cast(sa.Table, AwardRow.__table__)), rows)
    owe_hooks_many(session, [row["id"] for row in rows], job_id, awards.on_issued)
    CREDENTIALS_ISSUED.labels(FORMAT).inc(len(rows))
    for row in rows:
        results[row["idempotency_key"]] = AwardRecord(
            **row, institution=context.owner, replaced_by=None
        )
    return results


def _institution_id(session: Session, slug: str) -> int:
    row = institutions.institution_by_slug(session, slug)
    if row is None:
        raise IssuingError("institution", f"no institution has the slug '{slug}'")
    return row.id


def _one_by_one(
    awards: Awards,
    session: Session,
    record: SpecificationRecord,
    request: AwardRequest,
    institution: str | None,
    job_id: str | None,
) -> Outcome:
    try:
        return awards.award_in(
            session,
            record,
            request.learner,
            grade=request.grade,
            awarded_on=request.awarded_on,
            institution=institution,
            job_id=job_id,
        )
    except (AwardError, IssuingError) as error:
        return error
