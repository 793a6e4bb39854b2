"""Seal certificates: each institution's e-seal certificate and key, for sealing EDCs.

A certificate comes from a PKCS#12 file (`import_pkcs12`) or, for a demo, is a TEST
certificate microcred makes itself (`create_test`), marked "microcred TEST seal — not
qualified" and issued by a TEST root that no verifier trusts unless told to. The private key
is stored only sealed under the key-encryption key, like issuer keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pycountry
import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy.orm import Session

from microcred.config import Settings
from microcred.crypto.x509_seal import (
    SealCertificateError,
    SealCredentials,
    create_test_seal,
    load_pkcs12,
    open_key,
    organisation_identifier,
    seal_key,
)
from microcred.services.catalogue import InstitutionNotFound
from microcred.services.installed_kek import installed_kek
from microcred.store import institutions
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.seal_tables import SealCertificateRow

COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"


class NoSealCertificate(SealCertificateError, LookupError):
    """The institution has no active seal certificate; the message names the command."""


@dataclass(frozen=True)
class SealCertificateInfo:
    """One stored seal certificate, public parts only."""

    institution: str
    subject: str
    organisation_identifier: str | None
    is_test: bool
    not_after: datetime
    chain_pem: str


class SealCertificates:
    """Store, replace and use the institutions' e-seal certificates."""

    def __init__(
        self,
        db: Database,
        settings: Settings | None = None,
        *,
        kek: bytes | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self.db = db
        self.settings = settings or Settings()
        self._kek = kek
        self._data_dir = data_dir

    def __repr__(self) -> str:
        return f"SealCertificates({self.db!r})"

    def import_pkcs12(
        self, institution: str, data: bytes, password: str | None
    ) -> SealCertificateInfo:
        """Store the certificate and key of a PKCS#12 file as the institution's active seal."""
        credentials = load_pkcs12(data, password)
        return self._store(institution, credentials, is_test=False)

    def create_test(
        self, institution: str, *, organisation_identifier: str | None = None
    ) -> tuple[SealCertificateInfo, x509.Certificate]:
        """Make and store a TEST seal for the institution; return it and its TEST root.

        The organisation identifier defaults to ``TEST-{country}-{slug}``: plainly not a
        real eIDAS identifier.
        """
        with self.db.transaction(write=False) as session:
            row = _institution_row(session, institution)
            name = row.name.get("en") or next(iter(row.name.values()), institution)
            country = _alpha2(row.country)
        identifier = organisation_identifier or f"TEST-{country}-{institution}"
        credentials, root = create_test_seal(name, country, identifier)
        return self._store(institution, credentials, is_test=True), root

    def ensure_test_seals(self, slugs: list[str]) -> list[SealCertificateInfo]:
        """Give each institution without a seal certificate a TEST one; return those made."""
        made = []
        for slug in slugs:
            try:
                self.active(slug)
            except NoSealCertificate:
                made.append(self.create_test(slug)[0])
        return made

    def active(self, institution: str) -> SealCertificateInfo:
        """Return the institution's active seal certificate; raises `NoSealCertificate`."""
        with self.db.transaction(write=False) as session:
            row = self._active_row(session, institution)
            return _info(row, institution)

    def credentials(self, institution: str) -> SealCredentials:
        """Return the key and chain the institution seals with; raises `NoSealCertificate`."""
        with self.db.transaction(write=False) as session:
            row = self._active_row(session, institution)
            sealed, chain_pem = row.sealed_private_key, row.chain_pem
        chain = x509.load_pem_x509_certificates(chain_pem.encode("ascii"))
        return SealCredentials(open_key(sealed, self._key_encryption_key()), chain)

    # --- internals ---

    def _store(
        self, institution: str, credentials: SealCredentials, *, is_test: bool
    ) -> SealCertificateInfo:
        leaf = credentials.certificate
        chain_pem = "".join(
            c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in credentials.chain
        )
        sealed = seal_key(credentials.key, self._key_encryption_key())
        with self.db.transaction() as session:
            owner = _institution_row(session, institution)
            session.execute(
                sa.update(SealCertificateRow)
                .where(
                    SealCertificateRow.institution_id == owner.id,
                    SealCertificateRow.status == "active",
                )
                .values(status="retired")
            )
            row = SealCertificateRow(
                institution_id=owner.id,
                subject=leaf.subject.rfc4514_string(),
                organisation_identifier=organisation_identifier(leaf),
                chain_pem=chain_pem,
                sealed_private_key=sealed,
                is_test=is_test,
                not_after=leaf.not_valid_after_utc,
                status="active",
                created_at=utc_now(),
            )
            session.add(row)
            session.flush()
            return _info(row, institution)

    def _active_row(self, session: Session, institution: str) -> SealCertificateRow:
        owner = _institution_row(session, institution)
        row = session.scalars(
            sa.select(SealCertificateRow).where(
                SealCertificateRow.institution_id == owner.id,
                SealCertificateRow.status == "active",
            )
        ).first()
        if row is None:
            raise NoSealCertificate(
                f"institution '{institution}' has no seal certificate; import one with "
                f"'microcred edc seal-cert import {institution} FILE.p12' or make a TEST one "
                f"with 'microcred edc seal-cert create-test {institution}'"
            )
        return row

    def _key_encryption_key(self) -> bytes:
        if self._kek is None:
            self._kek = installed_kek(self.db, self.settings, self._data_dir)
        return self._kek


def _institution_row(session: Session, slug: str) -> InstitutionRow:
    row = institutions.institution_by_slug(session, slug)
    if row is None:
        raise InstitutionNotFound(f"no institution has the slug '{slug}'")
    return row


def _alpha2(country: str | None) -> str:
    """Return the ISO 3166 alpha-2 code X.509 wants for a country authority URI."""
    known = pycountry.countries.get(alpha_3=(country or "").removeprefix(COUNTRY_AUTHORITY))
    if known is None:
        raise SealCertificateError(
            "the institution has no country; set one before making a seal certificate"
        )
    return str(known.alpha_2)


def _info(row: SealCertificateRow, institution: str) -> SealCertificateInfo:
    return SealCertificateInfo(
        institution=institution,
        subject=row.subject,
        organisation_identifier=row.organisation_identifier,
        is_test=row.is_test,
        not_after=row.not_after,
        chain_pem=row.chain_pem,
    )
