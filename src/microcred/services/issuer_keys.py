"""Issuer keys: each institution's signing keys, their DIDs and the DID documents served for them.

An institution issues as ``did:web:{host}:institutions:{slug}`` under the instance's base URL
(or, with ``MICROCRED_ISSUER_DID_METHOD=key``, as the did:key of its active key, for an offline
deployment). The owner ``None`` is the instance itself, whose did:web is the base URL's.

Private keys are stored only sealed under the key-encryption key (see `installed_kek`);
they never appear in the clear in the database, a log or a ``repr``. Rotating makes a new
active key and retires the old one, which stays in the DID document under ``assertionMethod``
so credentials it signed still verify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.config import Settings, current_settings
from microcred.crypto.did_document import UnresolvableKey, key_in_document, verification_method
from microcred.crypto.did_key import did_key_for
from microcred.crypto.did_web import did_web_document, did_web_for
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.key_sealing import open_private_key, seal_private_key
from microcred.crypto.keys import SIGNING_ALGORITHMS, SIGNING_CHOICES, PrivateKey, PublicKey
from microcred.crypto.multikey import decode_public_key
from microcred.crypto.pkcs11_signer import SCHEME as PKCS11_SCHEME
from microcred.crypto.pkcs11_signer import Pkcs11Config, open_pkcs11_key
from microcred.services.catalogue import InstitutionNotFound
from microcred.services.installed_kek import installed_kek
from microcred.store import institutions
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.keys_tables import IssuerKeyRow, KeyStatus

DID_METHODS = ("web", "key")


class IssuerKeyError(ValueError):
    """A key cannot be made or used as asked; the message says what to do."""


class NoIssuerKey(IssuerKeyError, LookupError):
    """The owner has no active key yet."""


class NotOurIssuer(IssuerKeyError, LookupError):
    """A DID that neither this instance nor any of its institutions issues as."""


@dataclass(frozen=True)
class IssuerKey:
    """One issuer key as callers see it: public parts only."""

    institution: str | None  # the owner's slug; None for the instance itself
    did: str
    verification_method: str
    key_type: str
    public_key_multibase: str
    status: KeyStatus
    created_at: datetime
    retired_at: datetime | None = field(default=None)

    def public_jwk(self) -> dict[str, str]:
        """Return the public JWK of this key, with its verification method as ``kid``."""
        jwk = decode_public_key(self.public_key_multibase).to_jwk()
        return {**jwk, "kid": self.verification_method}

    @classmethod
    def from_row(cls, row: IssuerKeyRow, institution: str | None) -> IssuerKey:
        return cls(
            institution=institution,
            did=row.did,
            verification_method=row.verification_method,
            key_type=row.key_type,
            public_key_multibase=row.public_key_multibase,
            status=KeyStatus(row.status),
            created_at=row.created_at,
            retired_at=row.retired_at,
        )


class IssuerKeys:
    """Make, rotate and use the signing keys of the instance's institutions."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        kek: bytes | None = None,
        data_dir: Path | None = None,
    ) -> None:
        if settings.issuer_did_method not in DID_METHODS:
            raise IssuerKeyError(
                f"MICROCRED_ISSUER_DID_METHOD must be 'web' or 'key', "
                f"not {settings.issuer_did_method!r}"
            )
        self.db = db
        self.settings = settings
        self._kek = kek
        self._data_dir = data_dir

    def __repr__(self) -> str:
        return f"IssuerKeys({self.db!r}, base_url={self.settings.base_url!r})"

    # --- identity ---

    def did_web(self, institution: str | None) -> str:
        """Return the did:web the owner is published under (the instance's, for None)."""
        path = f"institutions/{institution}" if institution is not None else ""
        return did_web_for(self.settings.base_url, path)

    def issuer_did(self, institution: str | None) -> str:
        """Return the DID the owner issues as: its did:web, or (did:key mode) its key's DID."""
        if self.settings.issuer_did_method == "key":
            return self.ensure_key(institution).did
        return self.did_web(institution)

    def _did_for_new_key(self, institution: str | None, key: PrivateKey) -> str:
        if self.settings.issuer_did_method == "key":
            return did_key_for(key.public_key)
        return self.did_web(institution)

    # --- keys ---

    def ensure_key(self, institution: str | None, key_type: str = "Ed25519") -> IssuerKey:
        """Return the owner's active key, made now (as ``key_type``) if it has none."""
        _check_key_type(key_type)
        try:
            return self._ensure_key(institution, key_type)
        except sa.exc.IntegrityError:
            # Another process made the key between our read and our insert: use theirs.
            return self.active_key(institution)

    def _ensure_key(self, institution: str | None, key_type: str) -> IssuerKey:
        with self.db.transaction() as session:
            owner_id = _owner_id(session, institution)
            row = _active_row(session, owner_id)
            if row is None:
                row = self._add_key(session, owner_id, institution, key_type)
            return IssuerKey.from_row(row, institution)

    def rotate(self, institution: str | None, key_type: str | None = None) -> IssuerKey:
        """Return a new active key; the old one is retired but stays in the DID document.

        ``key_type`` defaults to that of the key being replaced (Ed25519 if there is none).
        """
        if key_type is not None:
            _check_key_type(key_type)
        with self.db.transaction() as session:
            owner_id = _owner_id(session, institution)
            old = _active_row(session, owner_id)
            if old is not None:
                old.status = KeyStatus.retired
                old.retired_at = utc_now()
                session.flush()
            chosen = key_type or (old.key_type if old is not None else "Ed25519")
            row = self._add_key(session, owner_id, institution, chosen)
            return IssuerKey.from_row(row, institution)

    def use_pkcs11_key(self, institution: str | None, uri: str) -> IssuerKey:
        """Return the owner's new active key: the HSM key at ``uri``; the old one is retired."""
        key = open_pkcs11_key(uri, pkcs11_config(self.settings))
        with self.db.transaction() as session:
            owner_id = _owner_id(session, institution)
            old = _active_row(session, owner_id)
            if old is not None:
                old.status = KeyStatus.retired
                old.retired_at = utc_now()
                session.flush()
            row = self._add_key(session, owner_id, institution, key.algorithm, key, uri)
            return IssuerKey.from_row(row, institution)

    def active_key(self, institution: str | None) -> IssuerKey:
        """Return the owner's active key; raises `NoIssuerKey` naming the command that makes one."""
        with self.db.transaction(write=False) as session:
            owner_id = _owner_id(session, institution)
            row = _active_row(session, owner_id)
            if row is None:
                raise NoIssuerKey(_no_key_message(institution))
            return IssuerKey.from_row(row, institution)

    def active_key_types(self) -> set[str]:
        """Return the types of every active key on this instance (Ed25519, P-256, P-384).

        What the instance can sign with right now, e.g. for the algorithms its OpenID4VCI
        metadata advertises.
        """
        with self.db.transaction(write=False) as session:
            return set(
                session.scalars(
                    sa.select(IssuerKeyRow.key_type)
                    .where(IssuerKeyRow.status == KeyStatus.active)
                    .distinct()
                )
            )

    def public_keys(self, institution: str | None) -> list[IssuerKey]:
        """Return every key of the owner, the active one first, then newest retired first."""
        with self.db.transaction(write=False) as session:
            owner_id = _owner_id(session, institution)
            return [IssuerKey.from_row(row, institution) for row in _rows(session, owner_id)]

    def signing_key(self, institution: str | None) -> tuple[PrivateKey, str]:
        """Return the owner's active private key and the verification method proofs name."""
        with self.db.transaction(write=False) as session:
            owner_id = _owner_id(session, institution)
            row = _active_row(session, owner_id)
            if row is None:
                raise NoIssuerKey(_no_key_message(institution))
            sealed, method, did = row.sealed_private_key, row.verification_method, row.did
            location = row.key_location
        problem = self._identity_problem(institution, did)
        if problem:
            raise IssuerKeyError(problem)
        return open_private_half(location, sealed, self._key_encryption_key, self.settings), method

    def _identity_problem(self, institution: str | None, did: str) -> str | None:
        """Say why a key made for ``did`` cannot sign for the owner now, if it cannot."""
        if self.settings.issuer_did_method == "key":
            if did.startswith("did:key:"):
                return None
            now = "a did:key (MICROCRED_ISSUER_DID_METHOD=key)"
        else:
            now = self.did_web(institution)
            if did == now:
                return None
        rotate = f"microcred keys rotate {institution or ''}".rstrip()
        return (
            f"the active key of {_owner_name(institution)} was made for {did}, but this "
            f"instance now publishes it as {now} (the base URL or DID method changed); "
            f"make a key for the new identity with '{rotate}'"
        )

    def issuer_of(self, did: str) -> IssuerKey | None:
        """Return the active key of whichever of our owners issues as ``did``, if any does."""
        with self.db.transaction(write=False) as session:
            row = session.scalars(
                sa.select(IssuerKeyRow).where(
                    IssuerKeyRow.did == did, IssuerKeyRow.status == KeyStatus.active
                )
            ).first()
            if row is None:
                return None
            slug = None
            if row.institution_id is not None:
                slug = session.scalars(
                    sa.select(InstitutionRow.slug).where(InstitutionRow.id == row.institution_id)
                ).one()
            return IssuerKey.from_row(row, slug)

    def owner_of(self, did: str) -> str | None:
        """Return the slug of the institution issuing as ``did`` (None: the instance itself).

        Raises `NotOurIssuer` when the DID is none of ours.
        """
        key = self.issuer_of(did)
        if key is not None:
            return key.institution
        if did == self.did_web(None):
            return None
        with self.db.transaction(write=False) as session:
            slugs = [row.slug for row in institutions.all_institutions(session)]
        for slug in slugs:
            if did == self.did_web(slug):
                return slug
        raise NotOurIssuer(
            f"{did!r} is not an issuer of this instance; our institutions issue as "
            f"{self.did_web('<slug>')}"
        )

    def issuers(self) -> list[tuple[str, str]]:
        """Return (DID, name) of every identity this instance has issued under, old ones too.

        Credentials signed before a rotation or a change of base URL name an older DID; they
        are still ours, so a verifier on this instance trusts every DID a key was made for.
        """
        with self.db.transaction(write=False) as session:
            rows = session.execute(
                sa.select(IssuerKeyRow.did, InstitutionRow.name)
                .outerjoin(InstitutionRow, InstitutionRow.id == IssuerKeyRow.institution_id)
                .distinct()
            ).all()
        return [(did, display_name(name)) for did, name in rows]

    def key_resolver(self, purpose: str = "assertionMethod") -> Callable[[str], PublicKey]:
        """Return a `resolve_key` that reads our own DIDs from the database, others' over HTTPS.

        A verifier on this instance must not depend on reaching itself over the network (behind
        a proxy, or before DNS is set up) to check the credentials it issued.
        """
        over_network = key_resolver(purpose=purpose)

        def resolve_key(method_id: str) -> PublicKey:
            try:
                owner = self.owner_of(method_id.split("#", 1)[0])
                return key_in_document(self.did_document(owner), method_id, purpose)
            except (NotOurIssuer, UnresolvableKey):
                return over_network(method_id)

        return resolve_key

    # --- DID documents ---

    def did_document(self, institution: str | None, did: str | None = None) -> dict[str, Any]:
        """Return the did:web document of the owner: every key it published under that DID.

        The active key may authenticate and assert; retired keys only assert, so credentials
        they signed still verify. Raises `NoIssuerKey` when no key was published under it.
        ``did`` is the DID asked for when it is not the owner's under today's base URL (a
        verifier whose settings name another base URL, or credentials from before a change).
        """
        did = did or self.did_web(institution)
        keys = [key for key in self.public_keys(institution) if key.did == did]
        if not keys:
            raise NoIssuerKey(
                f"{_owner_name(institution)} has no key published as {did}; "
                + _no_key_message(institution)
            )
        document = did_web_document(did, [decode_public_key(k.public_key_multibase) for k in keys])
        retired = {k.verification_method for k in keys if k.status is KeyStatus.retired}
        for relationship, ids in document.items():
            if relationship not in ("@context", "id", "verificationMethod", "assertionMethod"):
                document[relationship] = [i for i in ids if i not in retired]
        return document

    # --- internals ---

    def _add_key(
        self,
        session: Session,
        owner_id: int | None,
        institution: str | None,
        key_type: str,
        hsm_key: PrivateKey | None = None,
        location: str = "sealed",
    ) -> IssuerKeyRow:
        key = hsm_key or PrivateKey.generate(key_type)
        did = self._did_for_new_key(institution, key)
        method = verification_method(did, key.public_key)
        row = IssuerKeyRow(
            institution_id=owner_id,
            did=did,
            verification_method=method["id"],
            key_type=key_type,
            public_key_multibase=method["publicKeyMultibase"],
            sealed_private_key=b""
            if hsm_key
            else seal_private_key(key, self._key_encryption_key()),
            key_location=location,
            status=KeyStatus.active,
        )
        session.add(row)
        session.flush()
        return row

    def _key_encryption_key(self) -> bytes:
        if self._kek is None:
            self._kek = installed_kek(self.db, self.settings, self._data_dir)
        return self._kek


def open_private_half(
    location: str, sealed: bytes, kek: Callable[[], bytes], settings: Settings | None = None
) -> PrivateKey:
    """Return a key's private half: the HSM key its location names, else unsealed with the KEK
    (asked for only then: an HSM key needs none)."""
    if location.startswith(PKCS11_SCHEME):
        return open_pkcs11_key(location, pkcs11_config(settings or current_settings()))
    return open_private_key(sealed, kek())


def pkcs11_config(settings: Settings) -> Pkcs11Config:
    """Return the HSM library and PIN of the settings; `Pkcs11Error` names a missing one."""
    return Pkcs11Config.checked(settings.pkcs11_module, settings.pkcs11_pin.get_secret_value())


def instance_signing_key(session: Session, kek: bytes) -> tuple[PrivateKey, str] | None:
    """Return the instance's active private key and its verification method, read in the
    caller's transaction (so a writer holding the SQLite lock can use it); None if it has none."""
    row = _active_row(session, None)
    if row is None:
        return None
    return open_private_half(row.key_location, row.sealed_private_key, lambda: kek), (
        row.verification_method
    )


def _check_key_type(key_type: str) -> None:
    if key_type not in SIGNING_ALGORITHMS:
        raise IssuerKeyError(f"key type must be {SIGNING_CHOICES}, not {key_type!r}")


def _owner_id(session: Session, institution: str | None) -> int | None:
    if institution is None:
        return None
    row = institutions.institution_by_slug(session, institution)
    if row is None:
        known = ", ".join(r.slug for r in institutions.all_institutions(session)) or "none yet"
        raise InstitutionNotFound(f"no institution has the slug '{institution}' (known: {known})")
    return row.id


def _owner_filter(owner_id: int | None) -> sa.ColumnElement[bool]:
    if owner_id is None:
        return IssuerKeyRow.institution_id.is_(None)
    return IssuerKeyRow.institution_id == owner_id


def _active_row(session: Session, owner_id: int | None) -> IssuerKeyRow | None:
    return session.scalars(
        sa.select(IssuerKeyRow).where(
            _owner_filter(owner_id), IssuerKeyRow.status == KeyStatus.active
        )
    ).first()


def _rows(session: Session, owner_id: int | None) -> list[IssuerKeyRow]:
    active_first = sa.case((IssuerKeyRow.status == KeyStatus.active, 0), else_=1)
    return list(
        session.scalars(
            sa.select(IssuerKeyRow)
            .where(_owner_filter(owner_id))
            .order_by(active_first, IssuerKeyRow.id.desc())
        )
    )


def _owner_name(institution: str | None) -> str:
    return f"institution '{institution}'" if institution is not None else "this instance"


def _no_key_message(institution: str | None) -> str:
    command = f"microcred keys create {institution}" if institution else "microcred keys create"
    return f"{_owner_name(institution)} has no signing key yet; make one with '{command}'"


def display_name(name: dict[str, str] | None) -> str:
    """Return an institution's name for a trust report (English first), or the instance's."""
    if not name:
        return _owner_name(None)
    return name.get("en") or next(iter(name.values()))
