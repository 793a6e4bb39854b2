"""Recognition cases: an officer weighs an external credential against one of our modules.

The credential arrives through the verifier (a file or JSON) or a learner's share link. It is
verified, compared with the target module (see `microcred.domain.recognition`) and stored
with the proposal. The officer decides (full, partial or none, with the ECTS granted and a
note); the decision is written once, to the case and to the audit log, and cases export as
CSV or JSON. The proposal never becomes a decision by itself.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from microcred.domain.recognition import (
    Proposal,
    RecognitionReport,
    compare,
    target_module,
)
from microcred.domain.specification_status import SpecificationStatus
from microcred.domain.spreadsheet_cells import csv_record
from microcred.services.audit import record_event
from microcred.services.catalogue import Catalogue, SpecificationNotFound
from microcred.services.held_credentials import (
    credential_id,
    external_learning,
)
from microcred.services.text_similarity import TextSimilarity, text_similarity
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import ShareLinkInvalid, Wallet
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.recognition_tables import RecognitionCaseRow
from microcred.verify.report import Verdict

SOURCES = ("verifier", "share-link")
EXPORT_COLUMNS = [
    "id",
    "created_at",
    "learner",
    "credential_id",
    "issuer",
    "target_specification_id",
    "target_version",
    "target_title",
    "verdict",
    "proposal",
    "proposed_ects",
    "coverage",
    "decision",
    "decided_ects",
    "decided_by",
    "decided_at",
    "decision_note",
]


class RecognitionError(ValueError):
    """A recognition request that cannot be done; ``where`` names the input to fix."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class CaseNotFound(LookupError):
    pass


class RecognitionCase(BaseModel):
    id: str
    institution: str
    target_specification_id: str
    target_version: int
    credential_id: str
    credential: Any
    source: str
    learner: str
    verdict: Verdict
    report: RecognitionReport
    decision: Proposal | None
    decided_ects: float | None
    decision_note: str
    decided_by: str | None
    decided_at: datetime | None
    created_by: str
    created_at: datetime
    issuer: str = ""
    target_title: str = ""


class Recognition:
    """Open recognition cases, propose, record the officer's decision, export."""

    def __init__(
        self,
        catalogue: Catalogue,
        checker: InstanceVerifier,
        wallet: Wallet | None = None,
        similarity: TextSimilarity | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.db = catalogue.db
        self.checker = checker
        self.wallet = wallet
        self._similarity = similarity

    @property
    def similarity(self) -> TextSimilarity:
        if self._similarity is None:
            self._similarity = text_similarity()
        return self._similarity

    def assess(
        self, document: Any, target_specification_id: str
    ) -> tuple[Verdict, RecognitionReport]:
        """Return the verifier's verdict on ``document`` and its comparison with the target."""
        record = self._target(target_specification_id)
        report = self.checker.verify(document)
        external = external_learning(document, report)
        target = target_module(record.id, record.version, record.specification)
        scores = self.similarity.matrix(target.outcomes, external.outcomes)
        comparison = compare(
            external,
            target,
            scores,
            covered_at=self.similarity.covered_at,
            method=self.similarity.name,
        )
        return report.verdict, comparison

    def open_case(
        self,
        institution: str,
        document: Any,
        target_specification_id: str,
        *,
        actor: str,
        source: str = "verifier",
        learner: str = "",
    ) -> RecognitionCase:
        """Return a new case for ``document`` against one of ``institution``'s modules.

        Raises `RecognitionError` (nothing stored) for a credential that does not verify or
        could not be checked, a module of another institution, or an unknown source.
        """
        if source not in SOURCES:
            raise RecognitionError("source", f"must be one of {', '.join(SOURCES)}")
        record = self._target(target_specification_id)
        if record.institution != institution:
            raise RecognitionError(
                "target", f"module {record.id} belongs to {record.institution}, not {institution}"
            )
        verdict, comparison = self.assess(document, record.id)
        if verdict == Verdict.failed:
            raise RecognitionError(
                "credential", "it does not verify; recognition needs an intact credential"
            )
        if verdict == Verdict.indeterminate:
            raise RecognitionError(
                "credential",
                "it could not be checked (a key or status list could not be fetched); "
                "try again later",
            )
        with self.db.transaction() as session:
            institution_id = session.scalar(
                sa.select(InstitutionRow.id).where(InstitutionRow.slug == institution)
            )
            row = RecognitionCaseRow(
                institution_id=institution_id,
                target_specification_id=record.id,
                target_version=record.version,
                credential_id=credential_id(document)[:500],
                credential=document,
                source=source,
                learner=learner.strip()[:320],
                verdict=verdict.value,
                report=comparison.model_dump(mode="json"),
                proposal=comparison.proposal.value,
                created_by=actor,
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                actor=actor,
                action="recognition.open",
                target=f"recognition:{row.id}",
                reason=f"proposal {comparison.proposal.value}",
                details={"credential": row.credential_id, "module": record.id},
            )
            return self._case(row, institution)

    def open_from_share_link(
        self,
        institution: str,
        token: str,
        credential: str,
        target_specification_id: str,
        *,
        actor: str,
    ) -> RecognitionCase:
        """Return a case for a credential a learner shared by link (the link must be live)."""
        if self.wallet is None:
            raise RecognitionError("share link", "this service has no wallet to read links from")
        try:
            _, shared = self.wallet.shared(token)
        except ShareLinkInvalid as error:
            raise RecognitionError("share link", str(error)) from error
        found = next((c for c in shared if c.id == credential), None)
        if found is None:
            raise RecognitionError("credential", f"{credential} is not shared by this link")
        return self.open_case(
            institution,
            found.document,
            target_specification_id,
            actor=actor,
            source="share-link",
        )

    def decide(
        self,
        case_id: str,
        decision: str,
        *,
        actor: str,
        ects: float | None = None,
        note: str = "",
    ) -> RecognitionCase:
        """Return the case with the officer's decision recorded (once) and audited."""
        try:
            chosen = Proposal(decision)
        except ValueError:
            raise RecognitionError("decision", "must be full, partial or none") from None
        if not note.strip():
            raise RecognitionError("note", "give the reason for the decision")
        with self.db.transaction() as session:
            row = session.get(RecognitionCaseRow, case_id, with_for_update=True)
            if row is None:
                raise CaseNotFound(f"no recognition case has the id {case_id}")
            if row.decision is not None:
                raise RecognitionError(
                    "decision", f"the case was decided already ({row.decision} by {row.decided_by})"
                )
            granted = _granted_ects(chosen, ects, row)
            row.decision = chosen.value
            row.decided_ects = granted
            row.decision_note = note.strip()
            row.decided_by = actor
            row.decided_at = utc_now()
            record_event(
                session,
                actor=actor,
                action="recognition.decide",
                target=f"recognition:{row.id}",
                reason=note.strip(),
                details={
                    "decision": chosen.value,
                    "ects": granted,
                    "proposal": row.proposal,
                    "credential": row.credential_id,
                    "module": row.target_specification_id,
                },
            )
            slug = session.scalar(
                sa.select(InstitutionRow.slug).where(InstitutionRow.id == row.institution_id)
            )
            return self._case(row, slug or "")

    def get(self, case_id: str) -> RecognitionCase:
        with self.db.transaction(write=False) as session:
            try:
                found = session.execute(_select().where(RecognitionCaseRow.id == case_id)).first()
            except sa.exc.StatementError:
                found = None
            if found is None:
                raise CaseNotFound(f"no recognition case has the id {case_id}")
            return self._case(found[0], found[1])

    def cases(self, institution: str) -> list[RecognitionCase]:
        """Return an institution's cases, newest first."""
        statement = _select().where(InstitutionRow.slug == institution)
        with self.db.transaction(write=False) as session:
            rows = session.execute(statement.order_by(RecognitionCaseRow.created_at.desc())).all()
            return [self._case(row, slug) for row, slug in rows]

    def export_rows(self, institution: str) -> list[dict[str, Any]]:
        """Return one flat row per case (the columns of `EXPORT_COLUMNS`)."""
        return [_export_row(case) for case in self.cases(institution)]

    def export_csv(self, institution: str) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(csv_record(row) for row in self.export_rows(institution))
        return buffer.getvalue()

    def export_json(self, institution: str) -> str:
        cases = [
            {**_export_row(case), "report": case.report.model_dump(mode="json")}
            for case in self.cases(institution)
        ]
        return json.dumps({"institution": institution, "cases": cases}, indent=2, default=str)

    def _target(self, spec_id: str) -> Any:
        try:
            return self.catalogue.get(spec_id.strip(), status=SpecificationStatus.published)
        except SpecificationNotFound as error:
            raise RecognitionError(
                "target", f"no published module has the id {spec_id!r}"
            ) from error

    def _case(self, row: RecognitionCaseRow, slug: str) -> RecognitionCase:
        report = RecognitionReport.model_validate(row.report)
        try:
            title = self.catalogue.get(row.target_specification_id, row.target_version)
            target_title = next(iter(title.specification.title.values()), "")
        except SpecificationNotFound:
            target_title = ""
        issuer = row.credential.get("issuer") if isinstance(row.credential, dict) else None
        return RecognitionCase(
            id=row.id,
            institution=slug,
            target_specification_id=row.target_specification_id,
            target_version=row.target_version,
            credential_id=row.credential_id,
            credential=row.credential,
            source=row.source,
            learner=row.learner,
            verdict=Verdict(row.verdict),
            report=report,
            decision=Proposal(row.decision) if row.decision else None,
            decided_ects=row.decided_ects,
            decision_note=row.decision_note,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            created_by=row.created_by,
            created_at=row.created_at,
            issuer=str((issuer.get("id") if isinstance(issuer, dict) else issuer) or ""),
            target_title=target_title,
        )


def _select() -> Any:
    return sa.select(RecognitionCaseRow, InstitutionRow.slug).join(
        InstitutionRow, InstitutionRow.id == RecognitionCaseRow.institution_id
    )


def _granted_ects(decision: Proposal, ects: float | None, row: RecognitionCaseRow) -> float:
    report = RecognitionReport.model_validate(row.report)
    if decision == Proposal.none:
        return 0.0
    if ects is None:
        return report.proposed_ects
    if ects < 0:
        raise RecognitionError("ects", f"must be 0 or more, got {ects:g}")
    return ects


def _export_row(case: RecognitionCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "created_at": case.created_at.isoformat(),
        "learner": case.learner,
        "credential_id": case.credential_id,
        "issuer": case.issuer,
        "target_specification_id": case.target_specification_id,
        "target_version": case.target_version,
        "target_title": case.target_title,
        "verdict": case.verdict.value,
        "proposal": case.report.proposal.value,
        "proposed_ects": case.report.proposed_ects,
        "coverage": case.report.coverage,
        "decision": case.decision.value if case.decision else "",
        "decided_ects": "" if case.decided_ects is None else case.decided_ects,
        "decided_by": case.decided_by or "",
        "decided_at": case.decided_at.isoformat() if case.decided_at else "",
        "decision_note": case.decision_note,
    }
