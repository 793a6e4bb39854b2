"""Upgrades: an institution re-issues one of its own Open Badges 2.0 badges as Open Badges 3.0.

Badges an institution awarded before OB 3.0 are OB 2.0 assertions whose issuer is a web
address. A registrar upgrades one by giving the badge (JSON, JWS, hosted URL or baked image):
it must verify (its issuer's key or origin policy, its revocation, its expiry) and its issuer
Profile must be one the institution names as its own (`Institution.ob2_issuers`). The new
credential (see `microcred.formats.ob3.upgrade`) links the original as evidence, carries the
recipient over, gets status entries and is signed and stored like every credential issued here.

Upgrading is idempotent: the new credential's id is derived from the original issuer and
assertion, so asking again (or two registrars at once) returns the credential made first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from microcred.formats.ob3 import IssuerProfile, Ob3Error
from microcred.formats.ob3.upgrade import Ob2Original, render_upgraded_credential
from microcred.services.audit import record_event
from microcred.services.catalogue import InstitutionNotFound
from microcred.services.issuing import CredentialIssuer, IssuingError
from microcred.services.verifier import InstanceVerifier
from microcred.status.entry import PURPOSES
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.institutions import institution_by_slug
from microcred.store.records import Institution
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify.document import as_list
from microcred.verify.ob2 import Ob2Verified
from microcred.verify.ob2.rules import node_id
from microcred.verify.report import Verdict
from microcred.verify.shape import parse_date_time

_VERIFIED = {Verdict.verified, Verdict.verified_untrusted_issuer}
# The namespace of upgraded credentials' ids: uuid5 of the original issuer and assertion.
_NAMESPACE = uuid.UUID("6b0c7c2e-1f4e-5a39-9d6e-0b2f5c1d7a44")


class Ob2UpgradeRefused(ValueError):
    """The badge cannot be upgraded here; ``where`` names what is wrong, the message why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Ob2Upgrade:
    """An upgraded badge: the signed OB 3.0 credential, and whether it was made now."""

    credential: dict[str, Any]
    created: bool
    institution: str
    original: str  # the OB 2.0 assertion's id


def upgraded_credential_id(issuer: str, assertion_id: str) -> str:
    """Return the id of the OB 3.0 credential re-issuing one OB 2.0 assertion of `issuer`."""
    name = "\n".join((issuer, assertion_id))
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


class Ob2Upgrades:
    """Re-issue verified OB 2.0 badges of an institution's own issuers as OB 3.0 credentials."""

    def __init__(self, issuer: CredentialIssuer, verifier: InstanceVerifier) -> None:
        self.issuer = issuer
        self.verifier = verifier
        self.db = issuer.catalogue.db

    def institutions_of(self, ob2_issuer: str) -> list[Institution]:
        """Return the institutions that name ``ob2_issuer`` as theirs (one, or none)."""
        return [
            institution
            for institution in self.issuer.catalogue.list_institutions()
            if ob2_issuer in institution.ob2_issuers
        ]

    def upgrade(self, institution: str, badge: Any, *, actor: str) -> Ob2Upgrade:
        """Return the OB 3.0 credential re-issuing ``badge`` as ``institution``: made now, or
        the one made before. Raises `Ob2UpgradeRefused` (nothing is stored then) or the
        catalogue's `InstitutionNotFound`."""
        owner = self._institution(institution)
        verified = self.verifier.verify_ob2(badge)
        original = _verified_original(verified)
        profile_id = node_id(verified.profile) or ""
        if profile_id not in owner.ob2_issuers:
            raise Ob2UpgradeRefused(
                "issuer",
                f"the badge was issued by {profile_id}, which is not one of {owner.slug}'s "
                "Open Badges 2.0 issuers; an institution re-issues only its own badges",
            )
        credential_id = upgraded_credential_id(profile_id, original.assertion_id)
        made_before = self._stored(credential_id, owner)
        if made_before is not None:
            return Ob2Upgrade(made_before, False, owner.slug, original.assertion_id)
        credential = self._rendered(original, owner, credential_id)
        try:
            signed = self.issuer.sign_credential_with_status(
                credential, owner.slug, PURPOSES, suite=self.issuer.suite_for(owner.slug)
            )
        except IssuingError as error:
            raced = self._stored(credential_id, owner)  # another request made it meanwhile
            if raced is not None:
                return Ob2Upgrade(raced, False, owner.slug, original.assertion_id)
            raise Ob2UpgradeRefused(error.where, error.message) from error
        with self.db.transaction() as session:
            record_event(
                session,
                actor=actor,
                action="credential.ob2-upgrade",
                target=credential_id,
                reason=f"re-issued the Open Badges 2.0 badge {original.assertion_id}",
                details={"institution": owner.slug, "ob2_issuer": profile_id},
            )
        return Ob2Upgrade(signed, True, owner.slug, original.assertion_id)

    def _institution(self, slug: str) -> Institution:
        with self.db.transaction(write=False) as session:
            row = institution_by_slug(session, slug)
            if row is None:
                raise InstitutionNotFound(f"no institution has the slug '{slug}'")
            return Institution.from_row(row)

    def _rendered(
        self, original: Ob2Original, owner: Institution, credential_id: str
    ) -> dict[str, Any]:
        profile = IssuerProfile(
            id=self.issuer.keys.issuer_did(owner.slug), name=owner.name, country=owner.country
        )
        try:
            return render_upgraded_credential(
                original, profile, credential_id=credential_id, issued_at=datetime.now(UTC)
            )
        except Ob3Error as error:
            raise Ob2UpgradeRefused(error.where, error.message) from error

    def _stored(self, credential_id: str, owner: Institution) -> dict[str, Any] | None:
        """Return the credential stored under ``credential_id``, if ``owner`` issued one."""
        with self.db.transaction(write=False) as session:
            document = session.scalar(
                sa.select(IssuedCredentialRow.document)
                .join(InstitutionRow, InstitutionRow.id == IssuedCredentialRow.institution_id)
                .where(IssuedCredentialRow.id == credential_id, InstitutionRow.slug == owner.slug)
            )
        return document if isinstance(document, dict) else None


def _verified_original(verified: Ob2Verified) -> Ob2Original:
    """Return the badge as its issuer serves it; raises `Ob2UpgradeRefused` unless it verified
    (its issuer need not be in the trusted-issuer registry: it is matched to an institution)."""
    report = verified.report
    parse = report.find("parse")
    if parse is None or parse.details.get("format") != "ob2":
        raise Ob2UpgradeRefused("badge", "not an Open Badges 2.0 badge: " + report.summary)
    if report.verdict not in _VERIFIED:
        culprit = report.find(report.failed_check) if report.failed_check else None
        why = f"{culprit.name}: {culprit.reason}" if culprit is not None else report.summary
        if report.verdict == Verdict.indeterminate:
            raise Ob2UpgradeRefused("badge", f"the badge could not be checked ({why}); try later")
        raise Ob2UpgradeRefused("badge", f"the badge does not verify ({why})")
    assertion = verified.assertion
    awarded = parse_date_time(assertion.get("issuedOn"), zone_required=False)
    expires = parse_date_time(assertion.get("expires"), zone_required=False)
    assertion_id = node_id(assertion)
    if assertion_id is None or awarded is None:
        raise Ob2UpgradeRefused("badge", "the assertion has no id or no issuedOn to carry over")
    return Ob2Original(
        assertion_id=assertion_id,
        recipient=assertion.get("recipient") or {},
        badge_class=verified.badge_class,
        awarded_on=awarded,
        expires=expires,
        evidence=tuple(as_list(assertion.get("evidence"))),
    )
