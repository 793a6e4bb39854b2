"""The catalogue: institutions describe, revise, publish and find micro-credential specifications.

Versioning: a specification is a family with numbered versions. Version 1 starts as a draft;
publishing freezes a version for good; editing a published (or archived) specification opens a
draft n+1 beside it, and publishing that draft archives the version it replaces. A family has at
most one draft at a time, and every version stays retrievable, because awards point at one.

Every method is one transaction: when it raises, nothing it did is kept.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from microcred.domain.compliance import check
from microcred.domain.compliance.report import ComplianceIssue, ComplianceReport
from microcred.domain.specification import LanguageMap, Specification
from microcred.domain.specification_status import SpecificationStatus
from microcred.domain.vocabularies.concepts import UnknownConcept
from microcred.domain.vocabularies.countries import normalise_country
from microcred.services.catalogue_query import CatalogueQuery
from microcred.store import institutions, specifications
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import SpecificationVersionRow
from microcred.store.database import Database
from microcred.store.records import Institution, SpecificationRecord
from microcred.store.search import count_statement, search_statement

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "Catalogue",
    "CatalogueError",
    "CatalogueQuery",
    "Institution",
    "InstitutionNotFound",
    "InvalidInput",
    "NotPublished",
    "PublishRefused",
    "SpecificationNotFound",
    "SpecificationRecord",
    "SpecificationStatus",
]

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
MAX_OB2_ISSUERS = 20
_LANGUAGE_MAP: TypeAdapter[dict[str, str]] = TypeAdapter(LanguageMap)


class CatalogueError(Exception):
    """Something the caller asked of the catalogue cannot be done; the message says why."""


class InvalidInput(CatalogueError, ValueError):
    pass


class InstitutionNotFound(CatalogueError, LookupError):
    pass


class SpecificationNotFound(CatalogueError, LookupError):
    pass


class NotPublished(CatalogueError):
    pass


class PublishRefused(CatalogueError):
    """The specification has errors under the Council Recommendation; ``issues`` lists them."""

    def __init__(self, spec_id: str, issues: list[ComplianceIssue]) -> None:
        self.spec_id = spec_id
        self.issues = issues
        found = "; ".join(f"{i.rule} {i.element}: {i.message}" for i in issues)
        super().__init__(
            f"specification {spec_id} cannot be published: {len(issues)} error(s) under the "
            f"Council Recommendation; fix them first: {found}"
        )


class Catalogue:
    """The catalogue use cases the CLI, the web pages and the API call."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- institutions ---

    def ensure_institution(
        self,
        slug: str,
        name: dict[str, str],
        country: str | None = None,
        is_higher_education: bool = True,
        ob2_issuers: list[str] | None = None,
    ) -> Institution:
        """Return the institution ``slug``, created, or updated to the details given.

        ``country`` may be a country URI, an ISO 3166 code ("DE", "DEU") or an English name.
        ``ob2_issuers`` are the web addresses of its Open Badges 2.0 issuer Profiles (None
        keeps those it has); another institution's are refused.
        """
        if not _SLUG.match(slug):
            raise InvalidInput(
                f"institution slug '{slug}' must be 1-100 lower-case letters, digits and inner "
                "hyphens, e.g. 'uni-example'"
            )
        try:
            name = _LANGUAGE_MAP.validate_python(name)
        except ValidationError as error:
            raise InvalidInput(f"institution name: {error.errors()[0]['msg']}") from None
        if not any(text.strip() for text in name.values()):
            raise InvalidInput("institution name needs a text in at least one language")
        if country is not None:
            try:
                country = normalise_country(country)
            except UnknownConcept as error:
                raise InvalidInput(f"institution country: {error.message}") from None
        if ob2_issuers is not None:
            ob2_issuers = _ob2_issuer_ids(ob2_issuers)
        with self.db.transaction() as session:
            if ob2_issuers:
                _refuse_claimed_ob2_issuers(session, slug, ob2_issuers)
            row = institutions.put_institution(
                session, slug, name, country, is_higher_education, ob2_issuers
            )
            return Institution.from_row(row)

    def list_institutions(self) -> list[Institution]:
        """Return every institution, ordered by slug."""
        with self.db.transaction(write=False) as session:
            return [Institution.from_row(row) for row in institutions.all_institutions(session)]

    # --- writing specifications ---

    def create(self, institution: str, spec: Specification) -> SpecificationRecord:
        """Return version 1, a draft, of a new specification owned by ``institution``."""
        _require_specification(spec)
        report = _compliance_report(spec)
        with self.db.transaction() as session:
            owner = institutions.institution_by_slug(session, institution)
            if owner is None:
                raise InstitutionNotFound(_unknown_institution(session, institution))
            family = specifications.add_family(session, owner)
            row = specifications.add_version(session, family, 1, spec)
            _record_compliance(row, report)
            return SpecificationRecord.from_row(row)

    def update(self, spec_id: str, spec: Specification) -> SpecificationRecord:
        """Return the draft holding ``spec``: the open draft edited, or a new version n+1."""
        spec_id = _family_id(spec_id)
        _require_specification(spec)
        report = _compliance_report(spec)
        with self.db.transaction() as session:
            latest = _latest(session, spec_id)
            if latest.status == SpecificationStatus.draft:
                specifications.write_document(latest, spec, utc_now())
                row = latest
            else:
                row = specifications.add_version(
                    session, latest.specification, latest.version + 1, spec
                )
            _record_compliance(row, report)
            session.flush()
            return SpecificationRecord.from_row(row)

    def publish(self, spec_id: str) -> SpecificationRecord:
        """Return the latest version, published; the version it replaces is archived.

        Raises PublishRefused, changing nothing, when the specification has errors under the
        Council Recommendation. Publishing what is already published returns it unchanged.
        """
        spec_id = _family_id(spec_id)
        with self.db.transaction() as session:
            latest = _latest(session, spec_id)
            if latest.status == SpecificationStatus.published:
                return SpecificationRecord.from_row(latest)
            report = _compliance_report(Specification.model_validate(latest.document))
            if report.errors:
                raise PublishRefused(spec_id, report.errors)
            now = utc_now()
            for previous in specifications.published_versions(session, spec_id):
                previous.status = SpecificationStatus.archived
            session.flush()
            _record_compliance(latest, report)
            latest.status = SpecificationStatus.published
            latest.published_at = now
            latest.updated_at = now
            session.flush()
            return SpecificationRecord.from_row(latest)

    def archive(self, spec_id: str) -> SpecificationRecord:
        """Return the published version, withdrawn from the catalogue (it stays retrievable)."""
        spec_id = _family_id(spec_id)
        with self.db.transaction() as session:
            _latest(session, spec_id)
            row = specifications.latest_version(session, spec_id, SpecificationStatus.published)
            if row is None:
                raise NotPublished(f"specification {spec_id} has no published version to archive")
            row.status = SpecificationStatus.archived
            row.updated_at = utc_now()
            session.flush()
            return SpecificationRecord.from_row(row)

    # --- reading specifications ---

    def get(
        self,
        spec_id: str,
        version: int | None = None,
        *,
        status: SpecificationStatus | None = None,
    ) -> SpecificationRecord:
        """Return one version: the number given, else the latest (with ``status``, if given)."""
        family_id = _family_id(spec_id)
        with self.db.transaction(write=False) as session:
            if version is not None:
                row = specifications.numbered_version(session, family_id, version)
            else:
                row = specifications.latest_version(session, family_id, status)
            if row is None:
                latest = _latest(session, family_id)
                wanted = f"version {version}" if version is not None else f"a {status} version"
                raise SpecificationNotFound(
                    f"specification {family_id} has no {wanted} (latest is version "
                    f"{latest.version}, {latest.status})"
                )
            return SpecificationRecord.from_row(row)

    def versions(self, spec_id: str) -> list[SpecificationRecord]:
        """Return every version of a specification, oldest first."""
        family_id = _family_id(spec_id)
        with self.db.transaction(write=False) as session:
            rows = specifications.all_versions(session, family_id)
            if not rows:
                raise SpecificationNotFound(f"no specification has the id {family_id}")
            return [SpecificationRecord.from_row(row) for row in rows]

    def search(
        self, query: CatalogueQuery | None = None, drafts_of: Collection[str] | None = None
    ) -> list[SpecificationRecord]:
        """Return the specifications matching ``query``, one record each, newest change first.

        Drafts are included only of the institutions in ``drafts_of`` (None: of every one).
        """
        with self.db.transaction(write=False) as session:
            statement = search_statement(query or CatalogueQuery(), drafts_of)
            rows = session.scalars(statement).unique()
            return [SpecificationRecord.from_row(row) for row in rows]

    def count(
        self, query: CatalogueQuery | None = None, drafts_of: Collection[str] | None = None
    ) -> int:
        """Return how many specifications match ``query`` in all (for paging)."""
        with self.db.transaction(write=False) as session:
            return session.scalar(count_statement(query or CatalogueQuery(), drafts_of)) or 0


def _ob2_issuer_ids(given: list[str]) -> list[str]:
    """Return the OB 2.0 issuer ids given, without repeats; raises `InvalidInput`.

    Only web addresses: a verifier reads a Profile from its address, so only there does the
    issuer speak; a Profile with another kind of id is whatever the badge's maker embedded.
    """
    ids = list(dict.fromkeys(value.strip() for value in given))
    if len(ids) > MAX_OB2_ISSUERS:
        raise InvalidInput(f"ob2_issuers: at most {MAX_OB2_ISSUERS}, got {len(ids)}")
    for value in ids:
        if not _WEB_ADDRESS.match(value) or len(value) > 500:
            raise InvalidInput(
                f"ob2_issuers: {value[:80]!r} is not the web address (https://..., up to 500 "
                "characters) of an Open Badges 2.0 issuer Profile"
            )
    return ids


def _refuse_claimed_ob2_issuers(session: Session, slug: str, ids: list[str]) -> None:
    """Raise `InvalidInput` when another institution names one of ``ids`` already."""
    for other in institutions.all_institutions(session):
        taken = sorted(set(ids) & set(other.ob2_issuers or []))
        if other.slug != slug and taken:
            raise InvalidInput(
                f"ob2_issuers: {taken[0]} is the Open Badges 2.0 issuer of '{other.slug}' "
                "already; an issuer belongs to one institution"
            )


def _compliance_report(spec: Specification) -> ComplianceReport:
    # The stored verdict and counts are those of the Council Recommendation ("eu") profile,
    # which needs no settings; the E-SLP verdict is computed where it is shown.
    return check(spec)


def _require_specification(spec: object) -> None:
    if not isinstance(spec, Specification):
        raise InvalidInput(
            f"expected a Specification, got {type(spec).__name__}; validate raw input with "
            "microcred.domain.validation.parse_specification first"
        )


def _record_compliance(row: SpecificationVersionRow, report: ComplianceReport) -> None:
    row.compliant = report.compliant
    row.error_count = len(report.errors)
    row.warning_count = len(report.warnings)


def _family_id(spec_id: str) -> str:
    """Return the canonical UUID text of a specification id given bare or as ``urn:uuid:``."""
    try:
        return str(uuid.UUID(spec_id.removeprefix("urn:uuid:")))
    except (ValueError, AttributeError):
        raise SpecificationNotFound(
            f"'{spec_id}' is not a specification id: expected a UUID such as "
            "'0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90'"
        ) from None


def _latest(session: Session, spec_id: str) -> SpecificationVersionRow:
    specifications.lock_family(session, spec_id)
    row = specifications.latest_version(session, spec_id)
    if row is None:
        raise SpecificationNotFound(f"no specification has the id {spec_id}")
    return row


def _unknown_institution(session: Session, slug: str) -> str:
    known = ", ".join(row.slug for row in institutions.all_institutions(session)) or "none yet"
    return (
        f"no institution has the slug '{slug}' (known: {known}); "
        "create it first with Catalogue.ensure_institution"
    )
