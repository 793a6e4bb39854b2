"""Awards: a published specification awarded to one learner becomes a stored, signed credential.

`Awards.award` checks the input against the specification, then issues the credential and
writes the award row in the one transaction that stores the credential and claims its status
entries: an award is there with its credential or not at all. Each award has an idempotency
key (specification id, version, learner, attempt); awarding again with the same key returns
the award already made and issues nothing. After the transaction commits, every callable in
``on_issued`` is called with the new `AwardRecord` (delivery sends its e-mail there); a hook
that fails is logged and never undoes the award. The hooks owed to an award are recorded with
it and run again after a crash (see `microcred.services.award_hooks` for the contract).
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from microcred.config import Settings
from microcred.domain.specification_status import SpecificationStatus
from microcred.formats.ob3 import AwardData, Evidence
from microcred.services.award_hooks import (
    awards_needing,
    call_with_tries,
    claim_owed,
    finish,
    finish_many,
    hook_name,
    owe_hooks,
)
from microcred.services.award_input import (
    AwardInputProblem,
    LearnerInput,
    check_award_input,
    idempotency_key,
)
from microcred.services.issuer_keys import IssuerKeyError
from microcred.services.issuing import CredentialIssuer, IssuingError
from microcred.store.awards_tables import AwardRow
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.records import SpecificationRecord

log = logging.getLogger(__name__)

OnIssued = Callable[["AwardRecord"], None]
FINISHED_PER_WRITE = 500  # hooks that ran, recorded done together


class AwardError(ValueError):
    """An award cannot be made as asked; ``problems`` name each input to fix."""

    def __init__(self, problems: list[AwardInputProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class AwardNotFound(LookupError):
    pass


class AwardRecord(BaseModel):
    """One award as stored: the learner, the result, and the credential it produced."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: str
    institution_id: int
    institution: str  # the institution's slug
    specification_id: str
    specification_version: int
    credential_id: str
    learner_name: str | None
    learner_email: str | None
    learner_institutional_id: str | None
    learner_did: str | None
    learner_date_of_birth: date | None
    learner_language: str | None
    grade: str | None
    awarded_on: date
    issued_at: datetime
    idempotency_key: str
    attempt: int
    job_id: str | None
    replaced_by: str | None
    created_at: datetime

    @property
    def learner(self) -> LearnerInput:
        return LearnerInput(
            name=self.learner_name,
            email=self.learner_email,
            institutional_id=self.learner_institutional_id,
            did=self.learner_did,
            date_of_birth=self.learner_date_of_birth,
            language=self.learner_language,
        )


class Awards:
    """Award published specifications to learners, once each, and find the awards again."""

    def __init__(self, db: Database, issuer: CredentialIssuer, settings: Settings) -> None:
        self.db = db
        self.issuer = issuer
        self.settings = settings
        self.on_issued: builtins.list[OnIssued] = []

    def award(
        self,
        spec_id: str,
        version: int | None,
        learner: LearnerInput,
        *,
        grade: str | None = None,
        awarded_on: date | None = None,
        attempt: int = 1,
        institution: str | None = None,
    ) -> AwardRecord:
        """Return the award of ``spec_id`` to ``learner``: made now, or the one made before.

        Raises `AwardError` (each problem names its field), the issuer's `IssuingError`, or
        the catalogue's `SpecificationNotFound`; nothing is stored then.
        """
        award, _ = self.award_once(
            spec_id,
            version,
            learner,
            grade=grade,
            awarded_on=awarded_on,
            attempt=attempt,
            institution=institution,
        )
        return award

    def award_once(
        self,
        spec_id: str,
        version: int | None,
        learner: LearnerInput,
        *,
        grade: str | None = None,
        awarded_on: date | None = None,
        attempt: int = 1,
        institution: str | None = None,
        evidence: Sequence[Evidence] = (),
    ) -> tuple[AwardRecord, bool]:
        """Return the award as `award` does, and whether it was made now.

        ``evidence`` cites the credentials the award rests on (a stacked credential's
        components) in the issued credential."""
        record = self.issuable(spec_id, version)
        self.prepare(record)
        with self.db.transaction() as session:
            award, created = self.award_in(
                session,
                record,
                learner,
                grade=grade,
                awarded_on=awarded_on,
                attempt=attempt,
                institution=institution,
                evidence=evidence,
            )
        if created:
            self.run_hooks(award)
        return award, created

    def issuable(self, spec_id: str, version: int | None) -> SpecificationRecord:
        """Return the version to award: the one numbered, else the published one."""
        catalogue = self.issuer.catalogue
        if version is None:
            return catalogue.get(spec_id, status=SpecificationStatus.published)
        record = catalogue.get(spec_id, version)
        if record.status == SpecificationStatus.draft:
            raise IssuingError(
                "version", f"version {version} is a draft; only published versions can be awarded"
            )
        return record

    def prepare(self, record: SpecificationRecord) -> None:
        """Make the owner's signing key if it has none: awards are issued inside transactions
        that cannot wait for another writer."""
        try:
            self.issuer.keys.ensure_key(record.institution)
        except IssuerKeyError as error:
            raise IssuingError("issuer", str(error)) from error

    def award_in(
        self,
        session: Session,
        record: SpecificationRecord,
        learner: LearnerInput,
        *,
        grade: str | None = None,
        awarded_on: date | None = None,
        attempt: int = 1,
        institution: str | None = None,
        job_id: str | None = None,
        replaces: str | None = None,
        evidence: Sequence[Evidence] = (),
    ) -> tuple[AwardRecord, bool]:
        """Award inside the caller's transaction; return the award and whether it is new.

        The institution's signing key must exist already (see `IssuerKeys.ensure_key`). The
        work runs in a savepoint, so a refused award leaves the caller's transaction as it was.
        """
        now = utc_now()
        awarded = awarded_on or now.date()
        problems = check_award_input(record.specification, learner, grade, awarded, now.date())
        if attempt < 1:
            problems.append(AwardInputProblem("attempt", "must be 1 or more"))
        if problems:
            raise AwardError(problems)
        key = idempotency_key(record.id, record.version, learner, attempt)
        existing = _by_key(session, key)
        if existing is not None:
            return existing, False

        def store_award(inner: Session, credential_id: str, issued: SpecificationRecord) -> None:
            row = AwardRow(
                **award_values(
                    _institution_id(inner, issued.institution),
                    issued,
                    credential_id,
                    learner,
                    grade=grade,
                    awarded_on=awarded,
                    now=now,
                    key=key,
                    attempt=attempt,
                    job_id=job_id,
                )
            )
            inner.add(row)
            inner.flush()
            owe_hooks(inner, row.id, job_id, self.on_issued)
            if replaces is not None:
                _mark_replaced(inner, replaces, row.id)

        data = award_data(learner, grade, awarded, now, evidence)
        try:
            with session.begin_nested():
                self.issuer.issue_credential(
                    record.id,
                    record.version,
                    data,
                    institution=institution,
                    also_store=store_award,
                    session=session,
                )
        except sa.exc.IntegrityError:
            # Another process made this very award meanwhile: its award stands, ours is undone.
            raced = _by_key(session, key)
            if raced is None:
                raise
            return raced, False
        made = _by_key(session, key)
        assert made is not None
        return made, True

    def reissue(
        self,
        award_id: str,
        learner: LearnerInput,
        *,
        grade: str | None = None,
        awarded_on: date | None = None,
        actor: str,
        reason: str = "replaced",
    ) -> tuple[AwardRecord, bool]:
        """Return the award replacing ``award_id`` with corrected data, and whether it is new.

        The new award (next attempt) and the old award's ``replaced_by`` commit together; then
        the old credential is revoked with ``reason``. Running it again finishes an interrupted
        re-issue and issues nothing more.
        """
        old = self.get(award_id)
        if old.replaced_by is not None:
            self.issuer.status.revoke_many([old.credential_id], reason=reason, actor=actor)
            return self.get(old.replaced_by), False
        record = self.issuable(old.specification_id, old.specification_version)
        self.prepare(record)
        with self.db.transaction() as session:
            new, created = self.award_in(
                session,
                record,
                learner,
                grade=grade,
                awarded_on=awarded_on,
                attempt=old.attempt + 1,
                institution=old.institution,
                replaces=old.id,
            )
        self.issuer.status.revoke_many([old.credential_id], reason=reason, actor=actor)
        if created:
            self.run_hooks(new)
        return new, created

    def register(self, hook: OnIssued) -> None:
        """Add an ``on_issued`` hook, unless one of the same name is registered already."""
        if hook_name(hook) not in {hook_name(known) for known in self.on_issued}:
            self.on_issued.append(hook)

    def run_hooks(self, award: AwardRecord, tries: int = 1) -> bool:
        """Run the hooks owed to ``award``, each up to ``tries`` times; False if one failed."""
        return self.run_owed_hooks(award_ids=[award.id], tries=tries)

    def run_owed_hooks(
        self,
        *,
        award_ids: builtins.list[str] | None = None,
        awards: builtins.list[AwardRecord] | None = None,
        job_id: str | None = None,
        tries: int = 1,
    ) -> bool:
        """Run the owed hooks (of some awards, of a job's awards, or all) that no other process
        is running; return False if one kept failing (it stays owed). ``awards`` names some
        awards by their records, which then need not be read again."""
        known = {award.id: award for award in awards or []}
        if awards is not None:
            award_ids = [*(award_ids or []), *known]
        hooks = {hook_name(hook): hook for hook in self.on_issued}
        claimed = claim_owed(self.db, hooks, award_ids=award_ids, job_id=job_id)
        unknown = [award_id for award_id, _ in claimed if award_id not in known]
        records = {**known, **self.get_many(unknown)} if unknown else known
        needed = {
            name: awards_needing(hook, [records[a] for a, n in claimed if n == name])
            for name, hook in hooks.items()
        }
        all_ran = True
        ran: builtins.list[tuple[str, str, int]] = []
        for award_id, name in claimed:
            if award_id not in needed[name]:
                ran.append((award_id, name, 0))  # nothing for this hook to do
                continue
            made, error = call_with_tries(hooks[name], records[award_id], tries)
            if error is None:
                ran.append((award_id, name, made))
            else:
                finish(self.db, award_id, name, made, error)
                all_ran = False
            if len(ran) >= FINISHED_PER_WRITE:
                finish_many(self.db, ran)
                ran = []
        finish_many(self.db, ran)  # a crash before this re-runs these few hooks (HOOKS.md)
        return all_ran

    def count_awarded(
        self, record: SpecificationRecord, learners: builtins.list[LearnerInput]
    ) -> int:
        """Return how many of ``learners`` hold their first award of this version already."""
        keys = [idempotency_key(record.id, record.version, learner, 1) for learner in learners]
        found = 0
        with self.db.transaction(write=False) as session:
            for start in range(0, len(keys), 500):
                found += int(
                    session.scalar(
                        sa.select(sa.func.count()).where(
                            AwardRow.idempotency_key.in_(keys[start : start + 500])
                        )
                    )
                    or 0
                )
        return found

    def get(self, award_id: str) -> AwardRecord:
        """Return one award; raises `AwardNotFound`."""
        with self.db.transaction(write=False) as session:
            row = session.execute(_select().where(AwardRow.id == award_id)).first()
            if row is None:
                raise AwardNotFound(f"no award has the id {award_id!r}")
            return _record(row)

    def get_many(self, award_ids: builtins.list[str]) -> dict[str, AwardRecord]:
        """Return the awards with these ids, by id (unknown ids are left out)."""
        with self.db.transaction(write=False) as session:
            return {record.id: record for record in _records_where(session, AwardRow.id, award_ids)}

    def by_credential(self, credential_id: str) -> AwardRecord | None:
        """Return the award that produced a credential, if one did."""
        with self.db.transaction(write=False) as session:
            row = session.execute(_select().where(AwardRow.credential_id == credential_id)).first()
            return _record(row) if row is not None else None

    def list(
        self,
        institution: str,
        spec_id: str | None = None,
        *,
        email: str | None = None,
        job_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[AwardRecord]:
        """Return an institution's awards, newest first, optionally of one specification."""
        statement = _select().where(InstitutionRow.slug == institution)
        if spec_id is not None:
            statement = statement.where(AwardRow.specification_id == spec_id)
        if email is not None:
            statement = statement.where(AwardRow.learner_email == email.strip().lower())
        if job_id is not None:
            statement = statement.where(AwardRow.job_id == job_id)
        statement = statement.order_by(AwardRow.created_at.desc(), AwardRow.id)
        with self.db.transaction(write=False) as session:
            rows = session.execute(statement.limit(limit).offset(offset)).all()
            return [_record(row) for row in rows]


def _select() -> sa.Select[AwardRow, str]:
    return sa.select(AwardRow, InstitutionRow.slug).join(
        InstitutionRow, InstitutionRow.id == AwardRow.institution_id
    )


def _record(row: sa.Row[AwardRow, str]) -> AwardRecord:
    award, slug = row
    fields = {column.key: getattr(award, column.key) for column in AwardRow.__table__.columns}
    return AwardRecord(**fields, institution=slug)


def award_values(
    institution_id: int,
    record: SpecificationRecord,
    credential_id: str,
    learner: LearnerInput,
    *,
    grade: str | None,
    awarded_on: date,
    now: datetime,
    key: str,
    attempt: int,
    job_id: str | None,
) -> dict[str, Any]:
    """Return the columns of a new award row (its id left to the caller or the table)."""
    return {
        "institution_id": institution_id,
        "specification_id": record.id,
        "specification_version": record.version,
        "credential_id": credential_id,
        "learner_name": learner.name,
        "learner_email": learner.email,
        "learner_institutional_id": learner.institutional_id,
        "learner_did": learner.did,
        "learner_date_of_birth": learner.date_of_birth,
        "learner_language": learner.language,
        "grade": grade,
        "awarded_on": awarded_on,
        "issued_at": now,
        "idempotency_key": key,
        "attempt": attempt,
        "job_id": job_id,
        "created_at": now,
    }


def award_data(
    learner: LearnerInput,
    grade: str | None,
    awarded_on: date,
    now: datetime,
    evidence: Sequence[Evidence] = (),
) -> AwardData:
    """Return what the credential of an award is rendered from."""
    return AwardData(
        learner_name=learner.name,
        email=learner.email,
        institutional_id=learner.institutional_id,
        did=learner.did,
        date_of_birth=learner.date_of_birth,
        grade=grade,
        issued_on=now,
        awarded_on=datetime(awarded_on.year, awarded_on.month, awarded_on.day, tzinfo=UTC),
        evidence=list(evidence),
    )


def awards_by_key(session: Session, keys: builtins.list[str]) -> dict[str, AwardRecord]:
    """Return the awards made with these idempotency keys, by key, as ``session`` sees them."""
    return {
        record.idempotency_key: record
        for record in _records_where(session, AwardRow.idempotency_key, keys)
    }


def _records_where(
    session: Session, column: Any, values: builtins.list[str]
) -> builtins.list[AwardRecord]:
    """Return the awards whose ``column`` is one of ``values`` (asked 500 at a time)."""
    unique = builtins.list(dict.fromkeys(values))
    rows: builtins.list[sa.Row[AwardRow, str]] = []
    for start in range(0, len(unique), 500):
        rows += session.execute(_select().where(column.in_(unique[start : start + 500]))).all()
    return [_record(row) for row in rows]


def _by_key(session: Session, key: str) -> AwardRecord | None:
    row = session.execute(_select().where(AwardRow.idempotency_key == key)).first()
    return _record(row) if row is not None else None


def award_in_session(session: Session, award_id: str) -> AwardRecord | None:
    """Return an award as the caller's transaction sees it."""
    row = session.execute(_select().where(AwardRow.id == award_id)).first()
    return _record(row) if row is not None else None


def _institution_id(session: Session, slug: str) -> int:
    found = session.scalar(sa.select(InstitutionRow.id).where(InstitutionRow.slug == slug))
    if found is None:
        raise IssuingError("institution", f"no institution has the slug '{slug}'")
    return found


def _mark_replaced(session: Session, old_id: str, new_id: str) -> None:
    changed = session.execute(
        sa.update(AwardRow)
        .where(AwardRow.id == old_id, AwardRow.replaced_by.is_(None))
        .values(replaced_by=new_id)
        .returning(AwardRow.id)
    ).first()
    if changed is None:
        raise IssuingError("award", f"award {old_id} was replaced already; nothing was changed")
