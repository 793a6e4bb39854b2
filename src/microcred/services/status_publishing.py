"""Publishing status lists: build the list credential from the set bits and sign it.

A list is re-signed in the same transaction that changes one of its bits, so the published
list and the database never disagree after a commit; a new list (or one whose signature is
missing) is signed lazily on its first fetch. Lists are signed with the institution's active
issuer key: eddsa-rdfc-2022 for Ed25519 keys, ecdsa-rdfc-2019 for P-256 and P-384 keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.crypto import data_integrity
from microcred.crypto.jcs import canonicalize
from microcred.crypto.keys import ED25519, PrivateKey
from microcred.services.issuer_keys import IssuerKeys
from microcred.status.bitstring import bitstring_with
from microcred.status.list_credential import status_list_credential
from microcred.store.status_tables import StatusAllocationRow, StatusListRow


@dataclass(frozen=True)
class ListSigner:
    """Signs an institution's status lists: its issuer DID, active key and verification method."""

    issuer: str
    key: PrivateKey
    verification_method: str

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        suite = "eddsa-rdfc-2022" if self.key.algorithm == ED25519 else "ecdsa-rdfc-2019"
        return data_integrity.sign(
            document, self.key, suite=suite, verification_method=self.verification_method
        )


def signer_for(keys: IssuerKeys, institution: str) -> ListSigner:
    """Return the signer of ``institution``'s lists (its key is made on first use)."""
    issuer = keys.ensure_key(institution).did
    key, method = keys.signing_key(institution)
    return ListSigner(issuer=issuer, key=key, verification_method=method)


def list_url(base_url: str, institution: str, purpose: str, list_no: int) -> str:
    """Return the stable public URL of one status list credential."""
    return f"{base_url.rstrip('/')}/status/{institution}/{purpose}/{list_no}"


def resign(session: Session, row: StatusListRow, url: str, signer: ListSigner) -> None:
    """Rebuild ``row``'s list credential from its set bits, sign it and keep it on the row."""
    set_indices = session.scalars(
        sa.select(StatusAllocationRow.idx).where(
            StatusAllocationRow.list_id == row.id, StatusAllocationRow.is_set.is_(True)
        )
    ).all()
    unsigned = status_list_credential(
        url=url,
        issuer=signer.issuer,
        purpose=row.purpose,
        bits=bitstring_with(set(set_indices), row.size),
        valid_from=datetime.now(UTC),
    )
    signed = signer.sign(unsigned)
    row.signed_document = signed
    row.signed_version = row.version
    row.etag = etag_of(signed)
    session.flush()


def is_stale(row: StatusListRow) -> bool:
    """True when the list has no signature, or was signed before its last bit change."""
    return row.signed_document is None or row.signed_version != row.version


def etag_of(document: dict[str, Any]) -> str:
    """Return a strong ETag (quoted) for a signed list credential."""
    return '"' + hashlib.sha256(canonicalize(document)).hexdigest()[:32] + '"'
