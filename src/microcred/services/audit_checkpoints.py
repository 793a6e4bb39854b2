"""Signed checkpoints of the audit log: "it had N events, the newest with chain value H, at T".

A checkpoint is a compact JWS (``typ`` `CHECKPOINT_TYPE`) signed with the instance's issuer key.
Its header names the key (``kid``, a verification method of the instance's DID) and carries
its public half (``jwk``), so an exported checkpoint verifies offline; a DID document kept
beside it says whether that key is the instance's. ``verify_chain`` compares the log with the
checkpoints: a log with fewer events than a checkpoint lost its newest ones, and a different
chain value at a checkpoint's position means the log was rewritten up to there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.crypto.did_document import UnresolvableKey, key_in_document
from microcred.crypto.jose import JoseError, read_with_embedded_key, sign_jws
from microcred.crypto.keyed_chain import GENESIS, chain_key_id
from microcred.crypto.keys import PublicKey
from microcred.crypto.multikey import encode_public_key
from microcred.services.issuer_keys import instance_signing_key
from microcred.store.audit_tables import AuditCheckpointRow, AuditEventRow
from microcred.store.keys_tables import IssuerKeyRow

CHECKPOINT_TYPE = "microcred-audit-checkpoint+jwt"

log = logging.getLogger(__name__)


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, made or trusted; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    """What one checkpoint states, once its signature has been checked."""

    events: int
    head: str
    checkpointed_at: datetime
    chain_key_id: str
    signer: str  # the verification method that signed it
    public_key: PublicKey
    token: str


def sign_checkpoint(session: Session, kek: bytes, chain_key: bytes) -> Checkpoint | None:
    """Sign and store a checkpoint of the log as the caller's transaction sees it; return it,
    or None when the instance has no signing key yet."""
    signer = instance_signing_key(session, kek)
    if signer is None:
        return None
    key, method = signer
    newest = session.execute(
        sa.select(AuditEventRow.seq, AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)
    ).first()
    events, head = (newest.seq, newest.hash) if newest else (0, GENESIS)
    moment = datetime.now(UTC)
    payload = {
        "iss": method.split("#", 1)[0],
        "iat": int(moment.timestamp()),
        "events": events,
        "head": head,
        "chain_key_id": chain_key_id(chain_key),
        "checkpointed_at": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    header = {"typ": CHECKPOINT_TYPE, "kid": method, "jwk": key.public_key.to_jwk()}
    token = sign_jws(header, payload, key)
    session.add(
        AuditCheckpointRow(
            events=events, head=head, created_at=moment, verification_method=method, token=token
        )
    )
    session.flush()
    return read_checkpoint(token)


def sign_checkpoint_if_due(
    session: Session, *, events: int, every: int, kek: bytes, chain_key: bytes
) -> None:
    """Sign a checkpoint when the log has just reached a multiple of ``every`` events (0: never).

    A checkpoint that cannot be made is logged, not raised: the action being recorded must not
    fail for it, and the next one (or ``microcred audit checkpoint``) makes it.
    """
    if every <= 0 or events % every:
        return
    try:
        if sign_checkpoint(session, kek, chain_key) is None:
            log.warning(
                "audit checkpoint due at %d events, but the instance has no signing key; "
                "make one with 'microcred keys create'",
                events,
            )
    except (ValueError, LookupError) as error:
        log.warning("audit checkpoint due at %d events could not be signed: %s", events, error)


def read_checkpoint(token: str) -> Checkpoint:
    """Return the checkpoint a compact JWS states, after checking its signature with the key in
    its header (offline: nothing is fetched); raises `CheckpointError`."""
    try:
        header, payload = read_with_embedded_key(token, typ=CHECKPOINT_TYPE)
        public_key = PublicKey.from_jwk(header["jwk"])
    except (JoseError, ValueError) as error:
        raise CheckpointError(f"not a valid audit checkpoint: {error}") from None
    return Checkpoint(
        events=_field(payload, "events", int),
        head=_field(payload, "head", str),
        checkpointed_at=_moment(_field(payload, "checkpointed_at", str)),
        chain_key_id=_field(payload, "chain_key_id", str),
        signer=_field(header, "kid", str),
        public_key=public_key,
        token=token.strip(),
    )


def check_signer_in_document(checkpoint: Checkpoint, did_document: dict[str, Any]) -> None:
    """Raise `CheckpointError` unless the DID document lists the checkpoint's key under its
    ``kid`` as an assertion method: the document is what ties the key to the institution."""
    try:
        listed = key_in_document(did_document, checkpoint.signer, "assertionMethod")
    except (UnresolvableKey, ValueError, LookupError) as error:
        raise CheckpointError(f"the DID document does not list the signing key: {error}") from None
    if listed != checkpoint.public_key:
        raise CheckpointError(
            f"the checkpoint's key is not the key the DID document gives for {checkpoint.signer}"
        )


def stored_checkpoints(session: Session) -> list[Checkpoint]:
    """Return every stored checkpoint, oldest first; one whose signature fails, or whose key
    is not one of the instance's, raises `CheckpointError` naming it."""
    instance_keys = {
        row.verification_method: row.public_key_multibase
        for row in session.scalars(
            sa.select(IssuerKeyRow).where(IssuerKeyRow.institution_id.is_(None))
        )
    }
    checkpoints = []
    for row in session.scalars(sa.select(AuditCheckpointRow).order_by(AuditCheckpointRow.id)):
        try:
            checkpoint = read_checkpoint(row.token)
        except CheckpointError as error:
            raise CheckpointError(f"stored checkpoint {row.id}: {error}") from None
        if encode_public_key(checkpoint.public_key) != instance_keys.get(checkpoint.signer):
            raise CheckpointError(
                f"stored checkpoint {row.id} is signed by {checkpoint.signer}, "
                "which is not a key of this instance"
            )
        checkpoints.append(checkpoint)
    return checkpoints


def newest_checkpoint(session: Session) -> Checkpoint | None:
    """Return the stored checkpoint made last, or None when there is none."""
    token = session.scalars(
        sa.select(AuditCheckpointRow.token).order_by(AuditCheckpointRow.id.desc()).limit(1)
    ).first()
    return read_checkpoint(token) if token else None


def _field(claims: dict[str, Any], name: str, kind: type) -> Any:
    value = claims.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise CheckpointError(
            f"not a valid audit checkpoint: '{name}' is missing or not {kind.__name__}"
        )
    return value


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CheckpointError(
            f"not a valid audit checkpoint: checkpointed_at {text!r} is no time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
