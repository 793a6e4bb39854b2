"""Issue a Europass EDC for an award: render, validate against SHACL generic-full, then seal.

An EDC that fails its SHACL profile is never sealed: `EdcRefused` lists each failed shape.
The sealing organisation is the institution; its eIDAS legal identifier is the
organizationIdentifier of its seal certificate. Which format an award gets (OB 3.0, EDC or
both) is chosen per issuing call (``CredentialIssuer.issue_credential(format=...)``), so an
institution can issue both for the same award without a field on the Specification.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.config import current_settings
from microcred.crypto import jades, jades_levels, tsa
from microcred.crypto.x509_seal import SealCredentials, organisation_identifier
from microcred.domain.specification import Specification
from microcred.formats.elm.render import render_edc
from microcred.formats.elm.shacl import ShaclReport, ShapeFailure, profile_of, validate_edc
from microcred.formats.ob3 import AwardData, IssuerProfile
from microcred.services.seal_certificates import SealCertificates
from microcred.store import institutions
from microcred.store.database import Database
from microcred.store.records import Institution, SpecificationRecord


class EdcRefused(ValueError):
    """The EDC does not conform to its SHACL profile, so it is not sealed."""

    def __init__(self, report: ShaclReport) -> None:
        super().__init__(report.summary(limit=5))
        self.report = report

    @property
    def failures(self) -> list[ShapeFailure]:
        return self.report.failures


@dataclass(frozen=True)
class SealedEdc:
    """An issued EDC: the sealed file, the credential inside it and its SHACL report."""

    document: dict[str, Any]
    credential: dict[str, Any]
    shacl: ShaclReport


def credential_payload(credential: dict[str, Any]) -> bytes:
    """Return the exact bytes that are sealed: compact UTF-8 JSON of the credential."""
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal_edc(
    credential: dict[str, Any],
    credentials: SealCredentials,
    *,
    now: datetime | None = None,
    timestamper: jades_levels.Timestamper | None = None,
) -> SealedEdc:
    """Return the credential sealed with JAdES once it conforms to its SHACL profile:
    baseline-B, or with a ``timestamper`` (`configured_timestamper`) the ``seal_level``
    setting's level (B-T, B-LT, B-LTA). Raises `EdcRefused`, or `tsa.TimestampUnavailable`."""
    report = validate_edc(credential, profile_of(credential))
    if not report.conforms:
        raise EdcRefused(report)
    document = jades.seal(credential_payload(credential), credentials, now or datetime.now(UTC))
    if timestamper is not None:
        level = current_settings().seal_level
        document = jades_levels.raise_to(document, level, timestamper)
    return SealedEdc(document=document, credential=credential, shacl=report)


def configured_timestamper() -> jades_levels.Timestamper | None:
    """Return a client of the time-stamping authority ``MICROCRED_TSA_URL`` names (None unset)."""
    url = current_settings().tsa_url
    return tsa.timestamper(url) if url else None


def issue_edc(
    spec: Specification,
    award: AwardData,
    issuer: IssuerProfile,
    credentials: SealCredentials,
    *,
    spec_url: str,
    now: datetime | None = None,
    timestamper: jades_levels.Timestamper | None = None,
) -> SealedEdc:
    """Return the sealed EDC of an award (render, SHACL generic-full, JAdES seal).

    The issuer's eIDAS legal identifier defaults to the seal certificate's
    organizationIdentifier. Raises `ElmRenderError` or `EdcRefused`.
    """
    if not issuer.legal_identifier:
        identifier = organisation_identifier(credentials.certificate)
        issuer = issuer.model_copy(update={"legal_identifier": identifier})
    credential = render_edc(spec, award, issuer, spec_url=spec_url)
    return seal_edc(credential, credentials, now=now, timestamper=timestamper)


class EdcIssuer:
    """Seal EDCs for an institution's awards with its stored seal certificate."""

    def __init__(self, db: Database, seals: SealCertificates) -> None:
        self.db = db
        self.seals = seals

    def issue(
        self,
        record: SpecificationRecord,
        award: AwardData,
        owner: str,
        *,
        issuer_id: str,
        spec_url: str,
    ) -> SealedEdc:
        """Return the sealed EDC of ``award``; storing it is the caller's business."""
        credentials = self.seals.credentials(owner)
        with self.db.transaction(write=False) as session:
            row = institutions.institution_by_slug(session, owner)
            institution = Institution.from_row(row) if row is not None else None
        issuer = IssuerProfile(
            id=issuer_id,
            name=institution.name if institution else {"en": owner},
            country=institution.country if institution else None,
        )
        return issue_edc(
            record.specification,
            award,
            issuer,
            credentials,
            spec_url=spec_url,
            timestamper=configured_timestamper(),
        )
