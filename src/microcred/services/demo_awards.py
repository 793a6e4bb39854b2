"""The demo's issued credentials and its pathway, made through the normal services, once.

Fictional learners hold credentials of the demo catalogue: some claimed, some waiting for
their claim, one suspended and one revoked (through the status lists, so the public page and
every verifier say so). Anna Schmidt, who has a learner account, holds both parts of the
demo pathway, so its stacked credential is awarded to her by the pathway's own automatic
award. Running again finds every award, claim, status and the pathway already there, and
only e-mails each link still waiting afresh (the demo outbox does not outlive a run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from microcred.domain.pathways import AllOf, Component, Pathway
from microcred.domain.validation import parse_specification
from microcred.services.award_input import LearnerInput
from microcred.services.awards import AwardRecord, Awards
from microcred.services.delivery.claims import Claims
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.delivery.smtp import can_send
from microcred.services.demo import demo_entries, existing_entry
from microcred.services.demo_accounts import ACTOR, LEARNER_EMAIL
from microcred.services.pathways import Pathways
from microcred.store.records import SpecificationRecord

DATA_LITERACY = "01-data-literacy-public-administration.yaml"
SUPPLY_CHAINS = "02-sustainable-supply-chains.yaml"
ACCESSIBLE_WEB = "09-accessible-web-publishing.yaml"

PATHWAY_INSTITUTION = "kuusiniemi"  # owns the stacked credential, ACCESSIBLE_WEB
PATHWAY_TITLE = {
    "en": "Digital public services",
    "de": "Digitale öffentliche Dienste",
}
PATHWAY_PARTS = (DATA_LITERACY, SUPPLY_CHAINS)
AWARDED_ON = date(2026, 11, 20)


@dataclass(frozen=True)
class DemoAward:
    """One credential a fictional learner holds, and what became of it."""

    name: str
    email: str
    source: str  # the demo catalogue file of the specification
    fate: str  # "claimed", "waiting" (for the learner's claim), "suspended" or "revoked"
    language: str = "en"
    born: date = date(1994, 3, 14)  # some specifications name the learner by birth date too


# Only specifications that identify learners by what an award can carry (no national id).
DEMO_AWARDS = (
    DemoAward("Anna Schmidt", LEARNER_EMAIL, DATA_LITERACY, "claimed", "de"),
    DemoAward("Anna Schmidt", LEARNER_EMAIL, SUPPLY_CHAINS, "claimed", "de"),
    DemoAward("Lukas Berger", "lukas.berger@learner.example", SUPPLY_CHAINS, "waiting"),
    DemoAward("Emma de Vries", "emma.devries@learner.example", DATA_LITERACY, "waiting"),
    DemoAward("Sofia Romano", "sofia.romano@learner.example", SUPPLY_CHAINS, "suspended"),
    DemoAward("Jonas Virtanen", "jonas.virtanen@learner.example", ACCESSIBLE_WEB, "revoked"),
)
REASONS = {
    "suspended": "Demo: suspended while an appeal about the assessment is heard",
    "revoked": "Demo: revoked because the assessment was found to be plagiarised",
}


class DemoDataMissing(LookupError):
    """The demo catalogue is not seeded: seed it (services.demo.seed_demo) first."""


@dataclass
class DemoAwardsResult:
    """What seeding the awards did: awards made now and found from before, and the pathway."""

    made: list[AwardRecord] = field(default_factory=list)
    existing: list[AwardRecord] = field(default_factory=list)
    pathway: Pathway | None = None
    stacked: list[AwardRecord] = field(default_factory=list)  # the pathway's awards to Anna


def seed_demo_awards(awards: Awards, pathways: Pathways) -> DemoAwardsResult:
    """Return what seeding the demo's awards and pathway did; what exists is left as it is.

    The pathway comes first, so Anna's second part completes it through the awards' hook.
    """
    records = _demo_records(awards)
    result = DemoAwardsResult(pathway=_ensure_pathway(pathways, records))
    for planned in DEMO_AWARDS:
        record = records[planned.source]
        learner = LearnerInput(
            name=planned.name,
            email=planned.email,
            language=planned.language,
            date_of_birth=planned.born,
        )
        award, created = awards.award_once(record.id, None, learner, awarded_on=AWARDED_ON)
        (result.made if created else result.existing).append(award)
        _apply_fate(awards, award, planned)
        if planned.fate == "waiting" and not created:
            _email_again(awards, award)
    target = records[ACCESSIBLE_WEB].id
    result.stacked = awards.list(PATHWAY_INSTITUTION, target, email=LEARNER_EMAIL)
    return result


def _demo_records(awards: Awards) -> dict[str, SpecificationRecord]:
    """Return the demo catalogue's records by file name; raises `DemoDataMissing`."""
    catalogue = awards.issuer.catalogue
    records = {}
    for entry in demo_entries():
        found = existing_entry(catalogue, entry.institution, parse_specification(entry.data))
        if found is not None:
            records[entry.source] = found
    needed = {planned.source for planned in DEMO_AWARDS} | {ACCESSIBLE_WEB}
    missing = sorted(needed - set(records))
    if missing:
        raise DemoDataMissing(f"the demo catalogue lacks {', '.join(missing)}: seed it first")
    return records


def _ensure_pathway(pathways: Pathways, records: dict[str, SpecificationRecord]) -> Pathway:
    for pathway in pathways.list(PATHWAY_INSTITUTION):
        if pathway.title == PATHWAY_TITLE:
            return pathway
    requirement = AllOf(
        items=[Component(specification_id=records[source].id) for source in PATHWAY_PARTS]
    )
    return pathways.create(
        PATHWAY_INSTITUTION,
        PATHWAY_TITLE,
        records[ACCESSIBLE_WEB].id,
        requirement,
        actor=ACTOR,
        auto_award=True,
    )


def _apply_fate(awards: Awards, award: AwardRecord, planned: DemoAward) -> None:
    """Claim, suspend or revoke the award as planned, unless that was done before."""
    if planned.fate == "claimed":
        _claim(Claims(awards.db), award.credential_id, planned)
        return
    if planned.fate not in REASONS:
        return
    status = awards.issuer.status
    if status.status_of(award.credential_id).state == planned.fate:
        return
    change = status.suspend if planned.fate == "suspended" else status.revoke
    change(award.credential_id, reason=REASONS[planned.fate], actor=ACTOR)


def _email_again(awards: Awards, award: AwardRecord) -> None:
    """E-mail a fresh claim link for an award still waiting, when the demo starts again.

    The demo outbox lives in memory: without this a second run would start with it empty and
    the claim flow could not be followed. The earlier link stops working, as on any resend.
    """
    if award.learner_email and can_send(awards.settings):
        mailer = ClaimMailer(awards.issuer.catalogue, awards.issuer.status, awards.settings)
        mailer.send_claim(award.credential_id, award.learner_email)


def _claim(claims: Claims, credential_id: str, planned: DemoAward) -> None:
    """Confirm the learner's claim with a one-time code, as the claim page does."""
    claim = claims.by_credential(credential_id)
    if claim is not None and claim.confirmed_at is not None:
        return
    token = claims.open(credential_id, planned.email, planned.language)
    _, code = claims.new_code(token)
    claims.confirm(token, code)
