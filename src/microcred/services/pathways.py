"""Pathways as use cases: design one, see a learner's progress, award stacked credentials.

A pathway is checked when it is stored: its target and component specifications exist, the
target belongs to the pathway's institution, nesting is known and not circular. The stacked
credential's compliance is the target specification's (an E-SLP of 5-30 ECTS, say).

`award_completed` evaluates a learner's verified credentials (see `Wallet.held`) against every
auto-award pathway and awards each completed one through the normal issuing path
(`Awards.award_once`: status list entries, on_issued hooks), citing the components as
evidence by id and SHA-256 digest. A ``pathway_awards`` row, unique per pathway and learner,
makes it happen once. `on_issued` is the hook that runs this after every award.
"""

from __future__ import annotations

import base64
import builtins
import logging
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from microcred.domain.compliance import check
from microcred.domain.compliance.report import ComplianceReport
from microcred.domain.pathways import (
    HeldCredential,
    Outcome,
    Pathway,
    PathwayError,
    Requirement,
    check_pathway,
    component_ids,
    criteria_of,
    evaluate,
    used_credentials,
)
from microcred.domain.specification import localise
from microcred.domain.specification_status import SpecificationStatus
from microcred.formats.ob3 import Evidence
from microcred.services.audit import record_event
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.catalogue import Catalogue, SpecificationNotFound
from microcred.services.catalogue_query import CatalogueQuery
from microcred.services.verifier import InstanceVerifier
from microcred.services.wallet import Wallet
from microcred.store.accounts_tables import UserRow
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.pathway_tables import PathwayAwardRow, PathwayRow

log = logging.getLogger(__name__)
SUGGESTIONS = 5


class PathwayInvalid(ValueError):
    """A pathway that cannot be stored; ``problems`` says what to fix, each on its own."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class PathwayNotFound(LookupError):
    pass


class Suggestion(BaseModel):
    """A published specification in the catalogue that would help complete a pathway."""

    specification_id: str
    title: str
    institution: str
    ects: float | None


class Progress(BaseModel):
    """A learner's standing on one pathway."""

    pathway: Pathway
    outcome: Outcome
    suggestions: list[Suggestion]
    awarded_credential: str | None = None


class Pathways:
    """Design pathways, report progress on them, and award the credentials they stack to."""

    def __init__(self, catalogue: Catalogue, awards: Awards, wallet: Wallet) -> None:
        self.catalogue = catalogue
        self.db = catalogue.db
        self.awards = awards
        self.wallet = wallet
        self._busy: set[str] = set()  # learners being awarded in this process (hook re-entry)

    # --- design ---

    def create(
        self,
        institution: str,
        title: dict[str, str],
        target_specification_id: str,
        requirement: Requirement | dict[str, Any],
        *,
        actor: str,
        auto_award: bool = True,
    ) -> Pathway:
        """Return the pathway stored; raises `PathwayInvalid` naming each problem."""
        draft = self._checked_draft(
            "new", institution, title, target_specification_id, requirement, auto_award
        )
        with self.db.transaction() as session:
            institution_id = session.scalar(
                sa.select(InstitutionRow.id).where(InstitutionRow.slug == institution)
            )
            if institution_id is None:
                raise PathwayInvalid([f"institution: no institution has the slug {institution!r}"])
            row = PathwayRow(
                institution_id=institution_id,
                title=draft.title,
                target_specification_id=draft.target_specification_id,
                requirement=draft.model_dump(mode="json")["requirement"],
                auto_award=auto_award,
                created_by=actor,
            )
            session.add(row)
            session.flush()
            return draft.model_copy(update={"id": row.id})

    def update(
        self,
        pathway_id: str,
        title: dict[str, str],
        target_specification_id: str,
        requirement: Requirement | dict[str, Any],
        *,
        actor: str,
        auto_award: bool = True,
    ) -> Pathway:
        """Return the pathway with new title, target and rules; its institution stays.

        Raises `PathwayNotFound`, or `PathwayInvalid` naming each problem (nothing changed).
        """
        current = self.get(pathway_id)
        draft = self._checked_draft(
            current.id, current.institution, title, target_specification_id, requirement, auto_award
        )
        with self.db.transaction() as session:
            row = session.get(PathwayRow, current.id, with_for_update=True)
            if row is None:
                raise PathwayNotFound(f"no pathway has the id {pathway_id}")
            row.title = draft.title
            row.target_specification_id = draft.target_specification_id
            row.requirement = draft.model_dump(mode="json")["requirement"]
            row.auto_award = auto_award
            record_event(
                session,
                actor=actor,
                action="pathway.update",
                target=f"pathway:{row.id}",
                reason="rules changed by a designer",
                details={"target_specification_id": draft.target_specification_id},
            )
        return draft

    def _checked_draft(
        self,
        pathway_id: str,
        institution: str,
        title: dict[str, str],
        target_specification_id: str,
        requirement: Requirement | dict[str, Any],
        auto_award: bool,
    ) -> Pathway:
        """Return the pathway as given once it is valid; raises `PathwayInvalid`."""
        try:
            draft = Pathway(
                id=pathway_id,
                institution=institution,
                title={k: v.strip() for k, v in title.items() if v and v.strip()},
                target_specification_id=target_specification_id.strip(),
                requirement=requirement,  # type: ignore[arg-type]
                auto_award=auto_award,
            )
        except ValidationError as error:
            raise PathwayInvalid(
                [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
            ) from error
        problems = self._problems(draft)
        if problems:
            raise PathwayInvalid(problems)
        return draft

    def _problems(self, draft: Pathway) -> builtins.list[str]:
        problems = []
        if not draft.title:
            problems.append("title: give the pathway a title")
        try:
            target = self.catalogue.get(draft.target_specification_id)
            if target.institution != draft.institution:
                problems.append(
                    f"target_specification_id: {target.id} belongs to {target.institution}, "
                    f"not {draft.institution}"
                )
        except SpecificationNotFound:
            problems.append(
                f"target_specification_id: no specification has the id "
                f"{draft.target_specification_id!r}"
            )
        for spec_id in component_ids(draft.requirement):
            try:
                self.catalogue.get(spec_id)
            except SpecificationNotFound:
                problems.append(f"component: no specification has the id {spec_id!r}")
        problems += check_pathway(draft, self._lookup_any)
        return problems

    def get(self, pathway_id: str) -> Pathway:
        """Return one pathway; raises `PathwayNotFound`."""
        found = self._lookup_any(pathway_id)
        if found is None:
            raise PathwayNotFound(f"no pathway has the id {pathway_id}")
        return found

    def list(self, institution: str | None = None) -> builtins.list[Pathway]:
        """Return the pathways (of one institution), oldest first."""
        statement = sa.select(PathwayRow, InstitutionRow.slug).join(
            InstitutionRow, InstitutionRow.id == PathwayRow.institution_id
        )
        if institution is not None:
            statement = statement.where(InstitutionRow.slug == institution)
        with self.db.transaction(write=False) as session:
            rows = session.execute(statement.order_by(PathwayRow.created_at)).all()
            return [_pathway(row, slug) for row, slug in rows]

    def compliance(self, pathway: Pathway, eslp_min_eqf: int = 5) -> ComplianceReport:
        """Return the compliance report of the stacked credential (its target specification)."""
        target = self.catalogue.get(pathway.target_specification_id)
        return check(target.specification, eslp_min_eqf=eslp_min_eqf)

    # --- progress ---

    def progress(
        self, pathway: Pathway, held: builtins.list[HeldCredential], email: str = ""
    ) -> Progress:
        """Return which requirements ``held`` meets, what is missing, and catalogue suggestions."""
        outcome = evaluate(
            pathway, held, pathways=self._lookup_any, spec_titles=self._titles(pathway)
        )
        suggestions = [] if outcome.met else self._suggestions(pathway, held)
        awarded = self._awarded(pathway.id, email) if email else None
        return Progress(
            pathway=pathway,
            outcome=outcome,
            suggestions=suggestions,
            awarded_credential=awarded.credential_id if awarded else None,
        )

    def learner_progress(self, email: str) -> builtins.list[Progress]:
        """Return the learner's progress on every pathway, from the wallet's verified ones."""
        held = self.wallet.held(email)
        return [self.progress(pathway, held, email) for pathway in self.list()]

    def _titles(self, pathway: Pathway) -> dict[str, str]:
        titles = {}
        for spec_id in component_ids(pathway.requirement):
            try:
                titles[spec_id] = localise(self.catalogue.get(spec_id).specification.title, "en")
            except SpecificationNotFound:
                continue
        return titles

    def _suggestions(
        self, pathway: Pathway, held: builtins.list[HeldCredential]
    ) -> builtins.list[Suggestion]:
        have = {c.specification_id for c in held if c.specification_id}
        found: dict[str, Suggestion] = {}
        for spec_id in component_ids(pathway.requirement):
            if spec_id in have:
                continue
            try:
                record = self.catalogue.get(spec_id, status=SpecificationStatus.published)
            except SpecificationNotFound:
                continue
            found[record.id] = _suggestion(record)
        for criterion in criteria_of(pathway.requirement):
            fields: builtins.list[str | None] = [*criterion.isced_f] or [None]
            for field in fields:
                query = CatalogueQuery(
                    status=SpecificationStatus.published,
                    isced_f=field,
                    ects_min=criterion.min_ects,
                    limit=SUGGESTIONS,
                )
                for record in self.catalogue.search(query):
                    if record.id not in have and record.id != pathway.target_specification_id:
                        found.setdefault(record.id, _suggestion(record))
        return list(found.values())[:SUGGESTIONS]

    # --- awarding ---

    def award_completed(self, learner: LearnerInput) -> builtins.list[AwardRecord]:
        """Award every auto-award pathway the learner's verified credentials complete, once.

        Returns the awards made now (a pathway awarded before is skipped). Credentials that do
        not verify at this moment (revoked, suspended, expired, untrusted) do not count.
        """
        if not learner.email:
            return []
        email = learner.email.strip().lower()
        with self.db.transaction(write=False) as session:
            if session.scalar(sa.select(UserRow.id).where(UserRow.email == email)) is None:
                return []  # no account: no wallet to read imported credentials from
        if not any(pathway.auto_award for pathway in self.list()):
            return []
        if email in self._busy:
            return []  # awarding for this learner already: the loop below sees the new award
        self._busy.add(email)
        try:
            made: builtins.list[AwardRecord] = []
            while True:  # a stacked credential may complete an enclosing pathway in turn
                now = self._award_pass(learner, email)
                if not now:
                    return made
                made += now
        finally:
            self._busy.discard(email)

    def _award_pass(self, learner: LearnerInput, email: str) -> builtins.list[AwardRecord]:
        held = self.wallet.held(email)
        made = []
        for pathway in self.list():
            if not pathway.auto_award or self._awarded(pathway.id, email) is not None:
                continue
            try:
                outcome = evaluate(pathway, held, pathways=self._lookup_any)
            except PathwayError:
                log.exception("pathway %s cannot be evaluated", pathway.id)
                continue
            if outcome.met:
                award = self._award(pathway, learner, held, outcome)
                if award is not None:
                    made.append(award)
        return made

    def on_issued(self, award: AwardRecord) -> None:
        """The ``Awards.on_issued`` hook: a new credential may complete a pathway."""
        self.award_completed(award.learner)

    def on_issued_needed(self, awards: builtins.list[AwardRecord]) -> set[str]:
        """Return the ids of the awards `on_issued` may have work for, in two queries: those
        of learners with an account (a wallet), when an auto-award pathway exists. A bulk job
        of learners without accounts then costs nothing per award here."""
        emails = {a.learner_email.strip().lower() for a in awards if a.learner_email}
        if not emails:
            return set()
        with self.db.transaction(write=False) as session:
            if (
                session.scalar(sa.select(PathwayRow.id).where(PathwayRow.auto_award).limit(1))
                is None
            ):
                return set()
            with_account: set[str] = set()
            ordered = sorted(emails)
            for start in range(0, len(ordered), 500):
                with_account.update(
                    session.scalars(
                        sa.select(UserRow.email).where(
                            UserRow.email.in_(ordered[start : start + 500])
                        )
                    )
                )
        return {
            a.id
            for a in awards
            if a.learner_email and a.learner_email.strip().lower() in with_account
        }

    def _award(
        self,
        pathway: Pathway,
        learner: LearnerInput,
        held: builtins.list[HeldCredential],
        outcome: Outcome,
    ) -> AwardRecord | None:
        by_id = {credential.id: credential for credential in held}
        components = [by_id[cid] for cid in used_credentials(outcome) if cid in by_id]
        evidence = [
            Evidence(id=c.id, name=c.title, digest_sri=_sri_from_hex(c.digest)) for c in components
        ]
        email = (learner.email or "").strip().lower()
        award, _ = self.awards.award_once(
            pathway.target_specification_id, None, learner, evidence=evidence
        )
        with self.db.transaction() as session:
            try:
                with session.begin_nested():
                    session.add(
                        PathwayAwardRow(
                            pathway_id=pathway.id,
                            learner_email=email,
                            award_id=award.id,
                            components=[c.id for c in components],
                        )
                    )
            except sa.exc.IntegrityError:
                return None  # awarded meanwhile by another evaluation
        return award

    def _awarded(self, pathway_id: str, email: str) -> AwardRecord | None:
        with self.db.transaction(write=False) as session:
            award_id = session.scalar(
                sa.select(PathwayAwardRow.award_id).where(
                    PathwayAwardRow.pathway_id == pathway_id,
                    PathwayAwardRow.learner_email == email.strip().lower(),
                )
            )
        return self.awards.get(award_id) if award_id else None

    def _lookup_any(self, pathway_id: str) -> Pathway | None:
        statement = (
            sa.select(PathwayRow, InstitutionRow.slug)
            .join(InstitutionRow, InstitutionRow.id == PathwayRow.institution_id)
            .where(PathwayRow.id == pathway_id)
        )
        with self.db.transaction(write=False) as session:
            try:
                row = session.execute(statement).first()
            except sa.exc.StatementError:
                return None  # not a UUID
            return _pathway(row[0], row[1]) if row else None


def _pathway(row: PathwayRow, slug: str) -> Pathway:
    return Pathway(
        id=row.id,
        institution=slug,
        title=dict(row.title),
        target_specification_id=row.target_specification_id,
        requirement=row.requirement,  # type: ignore[arg-type]
        auto_award=row.auto_award,
    )


def _suggestion(record: Any) -> Suggestion:
    return Suggestion(
        specification_id=record.id,
        title=localise(record.specification.title, "en"),
        institution=record.institution,
        ects=record.specification.workload.ects,
    )


def _sri_from_hex(digest: str) -> str:
    return "sha256-" + base64.b64encode(bytes.fromhex(digest)).decode()


def app_pathways(awards: Awards) -> Pathways:
    """Return the pathways service over the application's awards, wallet and verifier."""
    issuer = awards.issuer
    checker = InstanceVerifier(issuer.keys, issuer.status, awards.settings)
    return Pathways(issuer.catalogue, awards, Wallet(awards.db, checker))
