"""One issued credential as delivery shows it: the signed document, what it awards, to whom.

`load_delivered` gathers from the store what the claim page, the public page, the PDF and the
badge need; the signed document stays exactly as issued.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from microcred.domain.specification import Specification, localise
from microcred.domain.vocabularies import eqf_number
from microcred.formats.ob3.render import document_language
from microcred.i18n import _
from microcred.services.catalogue import Catalogue
from microcred.services.status import StatusLists
from microcred.store.awards_tables import AwardRow
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.records import Institution
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify.parse import jwt_payload


class NotDelivered(LookupError):
    """No credential issued here has that id."""


@dataclass(frozen=True)
class DeliveredCredential:
    credential_id: str
    document: dict[str, Any] | str  # as signed: a JSON object, or a compact JWS
    specification: Specification
    specification_id: str | None
    institution: Institution
    learner_name: str
    issued_at: datetime
    valid_until: datetime | None
    awarded_on: date | None
    grade: str | None
    language: str  # the learner's language when the specification has it, else its own
    state: str  # "valid", "revoked" or "suspended"
    award_id: str | None = None
    replaced_by: str | None = None  # the credential that renewed this one
    replaces: str | None = None  # the credential this one renewed

    @property
    def title(self) -> str:
        return localise(self.specification.title, self.language)

    @property
    def institution_name(self) -> str:
        return localise(self.institution.name, self.language) or self.institution.slug

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until <= datetime.now(UTC)

    @property
    def credential(self) -> dict[str, Any]:
        """Return the credential as a JSON object (a vc+jwt's payload)."""
        return self.document if isinstance(self.document, dict) else jwt_payload(self.document)

    def file(self) -> tuple[bytes, str, str]:
        """Return the signed credential as a file: (bytes, file name, media type)."""
        if isinstance(self.document, str):
            return self.document.encode("ascii"), "credential.jwt", "application/vc+jwt"
        text = json.dumps(self.document, ensure_ascii=False, indent=2)
        return text.encode("utf-8"), "credential.json", "application/vc+ld+json"

    def caption(self) -> str:
        """Return the short line under a badge: "5 ECTS · EQF 6"."""
        spec = self.specification
        parts = []
        if spec.workload.ects is not None:
            ects = spec.workload.ects
            parts.append(f"{int(ects) if float(ects).is_integer() else ects} ECTS")
        if spec.level.eqf and eqf_number(spec.level.eqf):
            parts.append(_("EQF {level}").format(level=eqf_number(spec.level.eqf)))
        return " · ".join(parts)


def learner_language(spec: Specification, preferred: str | None) -> str:
    """Return the learner's language if the specification's title has it, else the spec's own."""
    if preferred:
        base = preferred.split("-")[0].lower()
        if any(tag.split("-")[0].lower() == base for tag in spec.title):
            return base
    return document_language(spec)


def load_delivered(
    catalogue: Catalogue, status: StatusLists, credential_id: str
) -> DeliveredCredential:
    """Return the credential with what it awards and to whom; raises `NotDelivered`."""
    with catalogue.db.transaction(write=False) as session:
        row = session.get(IssuedCredentialRow, credential_id)
        if row is None or row.specification_id is None:
            raise NotDelivered(f"no credential issued here has the id {credential_id!r}")
        award = session.scalar(sa.select(AwardRow).where(AwardRow.credential_id == credential_id))
        replaces = None
        replaced_by = None
        if award is not None:
            replaces = session.scalar(
                sa.select(AwardRow.credential_id).where(AwardRow.replaced_by == award.id)
            )
            if award.replaced_by is not None:
                replaced_by = session.scalar(
                    sa.select(AwardRow.credential_id).where(AwardRow.id == award.replaced_by)
                )
        institution = Institution.from_row(session.get_one(InstitutionRow, row.institution_id))
        document, spec_id, version = row.document, row.specification_id, row.specification_version
    spec = catalogue.get(spec_id, version).specification
    credential = document if isinstance(document, dict) else jwt_payload(document)
    subject_name = _subject_name(credential)
    return DeliveredCredential(
        credential_id=credential_id,
        document=document,
        specification=spec,
        specification_id=spec_id,
        institution=institution,
        learner_name=(award.learner_name if award else None) or subject_name or "",
        issued_at=_timestamp(credential.get("validFrom")) or row.issued_at,
        valid_until=_timestamp(credential.get("validUntil")),
        awarded_on=award.awarded_on if award else None,
        grade=award.grade if award else None,
        language=learner_language(spec, award.learner_language if award else None),
        state=status.status_of(credential_id).state,
        award_id=award.id if award else None,
        replaced_by=replaced_by,
        replaces=replaces,
    )


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _subject_name(credential: dict[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict):
        for identifier in subject.get("identifier") or []:
            if isinstance(identifier, dict) and identifier.get("identityType") == "name":
                value = identifier.get("identityHash")
                if isinstance(value, str) and not identifier.get("hashed"):
                    return value
    return None
