"""Awarding a chunk of learners at once: the same awards as `Awards.award_in`, in a few
statements instead of a few per learner.

Inside the chunk's transaction: every row is checked; the awards made before are found by
their idempotency keys in one query; the new ones get their status entries in one claim per
purpose, are rendered and signed (by the signing pool when there is one: see `signing`), and
are stored with one multi-row INSERT each for credentials, awards and owed hooks. Should another
process make one of these awards meanwhile (the idempotency key is taken), the chunk's batch
work is undone and each row is awarded one by one, which keeps the other process's award.

A bulk job prepares a chunk before its transaction (`prepare_awards`): the rows are checked,
status entries drawn in memory and the signing started, so the pool signs one chunk while the
job's process stores the one before. Nothing is written then; `award_many` claims the drawn
entries in the chunk's transaction, and the few that another process took meanwhile are
allocated again and signed here.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
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
from microcred.services.status_entries import DrawnEntries, DrawsAhead
from microcred.store import institutions
from microcred.store.awards_tables import AwardRow
from microcred.store.base import utc_now
from microcred.store.records import SpecificationRecord

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


@dataclass(frozen=True)
class PreparedAwards:
    """A chunk checked, its new awards' status entries drawn and their signing started, before
    the chunk's transaction (see `prepare_awards`)."""

    record: SpecificationRecord
    requests: list[AwardRequest]
    context: SigningContext
    now: datetime
    refused: dict[int, Outcome]  # by request number
    keys: dict[int, str]  # by request number, for the rows that passed the checks
    new: dict[str, _New]  # by idempotency key, in the order they are signed
    ahead: DrawsAhead  # the draws ``drawn`` came from, which claim them
    drawn: DrawnEntries
    signed: Iterator[list[str | Refusal]]  # the signed documents of ``new``, part by part


def prepare_awards(
    awards: Awards,
    session: Session,
    record: SpecificationRecord,
    requests: list[AwardRequest],
    draws: dict[str, DrawsAhead],
    *,
    institution: str | None = None,
    pool: SigningPool | None = None,
) -> PreparedAwards:
    """Check ``requests``, draw status entries for them and start signing; write nothing.

    ``draws`` are the in-memory index draws a job keeps from chunk to chunk, by institution
    (filled here). Raises `IssuingError` when the institution may not issue ``record``.
    """
    now = utc_now()
    refused, keys = _checked(record, requests, now)
    new = _new_awards(record, requests, keys, set(), now)
    context = awards.issuer.signing_context(record, institution)
    status = awards.issuer.status
    if context.owner not in draws:
        draws[context.owner] = status.entries.drawing_ahead(session, context.owner)
    pending = list(new.values())
    ahead = draws[context.owner]
    drawn = ahead.draw(session, [item.data.credential_id for item in pending])
    batch = _signing_batch(record, context, pending, drawn.entries)
    signed = sign_all(batch, context.key, pool)
    return PreparedAwards(record, requests, context, now, refused, keys, new, ahead, drawn, signed)


def award_many(
    awards: Awards,
    session: Session,
    record: SpecificationRecord,
    requests: list[AwardRequest],
    *,
    institution: str | None = None,
    job_id: str | None = None,
    pool: SigningPool | None = None,
    prepared: PreparedAwards | None = None,
) -> list[Outcome]:
    """Award ``record`` to every request inside ``session``; return each request's outcome.

    The institution's signing key must exist already (`Awards.prepare`). ``prepared`` is the
    work `prepare_awards` did for these very requests, if any. Raises `IssuingError` only when
    no row can be issued (the institution may not issue ``record``).
    """
    if prepared is None:
        now = utc_now()
        outcomes, keys = _checked(record, requests, now)
    else:
        now, outcomes, keys = prepared.now, dict(prepared.refused), prepared.keys
    found: dict[str, AwardRecord | IssuingError] = dict(awards_by_key(session, list(keys.values())))
    if prepared is None:
        new = _new_awards(record, requests, keys, set(found), now)
    else:
        new = {key: item for key, item in prepared.new.items() if key not in found}
    if new:
        try:
            with session.begin_nested():
                if prepared is None:
                    context = awards.issuer.signing_context(record, institution)
                    made = _issue(awards, session, record, context, new, now, job_id, pool)
                else:
                    made = _issue_prepared(awards, session, prepared, new, job_id)
                found.update(made)
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


def _checked(
    record: SpecificationRecord, requests: list[AwardRequest], now: datetime
) -> tuple[dict[int, Outcome], dict[int, str]]:
    """Return the refused requests with their problems, and the others' idempotency keys."""
    refused: dict[int, Outcome] = {}
    keys: dict[int, str] = {}
    for number, request in enumerate(requests):
        awarded = request.awarded_on or now.date()
        problems = check_award_input(
            record.specification, request.learner, request.grade, awarded, now.date()
        )
        if problems:
            refused[number] = AwardError(problems)
        else:
            keys[number] = idempotency_key(record.id, record.version, request.learner, 1)
    return refused, keys


def _new_awards(
    record: SpecificationRecord,
    requests: list[AwardRequest],
    keys: dict[int, str],
    found: set[str],
    now: datetime,
) -> dict[str, _New]:
    """Return the awards to make, by key: one per key not ``found``."""
    new: dict[str, _New] = {}
    for number, key in keys.items():
        if key not in found and key not in new:
            request = requests[number]
            awarded = request.awarded_on or now.date()
            new[key] = _New(request, key, awarded, _award_data(request, awarded, now, record))
    return new


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
    entries = status.entries.allocate(
        session, context.owner, [item.data.credential_id for item in pending]
    )
    batch = _signing_batch(record, context, pending, entries)
    institution_id = _institution_id(session, context.owner)
    results: dict[str, AwardRecord | IssuingError] = {}
    start = 0
    for part in sign_all(batch, context.key, pool):  # stores each part as the next is signed
        items = pending[start : start + len(part)]
        start += len(part)
        results.update(
            _store(awards, session, record, context, institution_id, items, part, now, job_id)
        )
    _forget_refused(awards, session, pending, results)
    return results


def _issue_prepared(
    awards: Awards,
    session: Session,
    prepared: PreparedAwards,
    new: dict[str, _New],
    job_id: str | None,
) -> dict[str, AwardRecord | IssuingError]:
    """Claim the drawn entries of the ``new`` awards and store their signed credentials;
    return each by key. Those whose entry another process claimed meanwhile are given new
    entries and signed again here."""
    record, context, now = prepared.record, prepared.context, prepared.now
    lost = prepared.ahead.claim(
        session, prepared.drawn, [item.data.credential_id for item in new.values()]
    )
    institution_id = _institution_id(session, context.owner)
    pending = list(prepared.new.values())
    results: dict[str, AwardRecord | IssuingError] = {}
    start = 0
    for part in prepared.signed:
        kept = [
            (item, document)
            for item, document in zip(pending[start : start + len(part)], part, strict=True)
            if item.key in new and item.data.credential_id not in lost
        ]
        start += len(part)
        items, documents = [item for item, _ in kept], [document for _, document in kept]
        results.update(
            _store(awards, session, record, context, institution_id, items, documents, now, job_id)
        )
    _forget_refused(
        awards, session, [item for item in new.values() if item.key in results], results
    )
    again = {item.key: item for item in new.values() if item.data.credential_id in lost}
    if again:
        results.update(_issue(awards, session, record, context, again, now, job_id, None))
    return results


def _signing_batch(
    record: SpecificationRecord,
    context: SigningContext,
    pending: list[_New],
    entries: dict[str, list[dict[str, Any]]],
) -> SigningBatch:
    return SigningBatch(
        specification=record.specification,
        issuer=context.issuer,
        spec_url=context.spec_url,
        spec_version=str(record.version),
        suite=DEFAULT_SUITE,
        verification_method=context.verification_method,
        awards=[(item.data, entries[item.data.credential_id]) for item in pending],
    )


def _forget_refused(
    awards: Awards,
    session: Session,
    pending: list[_New],
    results: dict[str, AwardRecord | IssuingError],
) -> None:
    """Free the status entries of the credentials that were not signed after all."""
    refused = [
        item.data.credential_id
        for item in pending
        if not isinstance(results[item.key], AwardRecord)
    ]
    awards.issuer.status.entries.forget(session, refused)


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
        rows.append({"id": time_ordered_uuid(), **values})
    if not rows:
        return results
    awards.issuer.status.record_issued_many(
        session,
        institution_id=institution_id,
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


def time_ordered_uuid() -> str:
    """Return a random UUID (version 7) that starts with the time in milliseconds: the rows of
    a chunk land side by side in the indexes on award ids instead of on random pages."""
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # the RFC 9562 variant
    return str(uuid.UUID(int=value))


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
