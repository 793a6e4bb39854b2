"""The status check: is a credential valid, revoked, suspended, or is its status unknown?

For each ``BitstringStatusListEntry`` the status list credential is fetched, its proof is
verified (it must be signed by the credential's own issuer), its validity period and purpose
are checked, and the entry's bit is read. "Unknown" (the list cannot be fetched, is forged or
malformed) is never reported as revoked: the verifier decides what unknown means to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from microcred.crypto import data_integrity
from microcred.crypto.data_integrity import ProofResult
from microcred.crypto.keys import PublicKey
from microcred.status.bitstring import get_bit
from microcred.status.entry import (
    PURPOSES,
    REVOCATION,
    StatusEntry,
    UnreadableEntry,
    read_entry,
    status_entries_of,
)
from microcred.status.fetching import StatusListUnavailable
from microcred.status.list_credential import InvalidStatusList, read_status_list
from microcred.status.recent import Recent

FetchList = Callable[[str], dict[str, Any]]
ResolveKey = Callable[[str], PublicKey]

CLOCK_SKEW = timedelta(seconds=60)


class StatusState(StrEnum):
    valid = "valid"
    revoked = "revoked"
    suspended = "suspended"
    unknown = "unknown"


# When entries disagree, the first of these that any entry has is the credential's state.
_PRECEDENCE = (StatusState.revoked, StatusState.suspended, StatusState.unknown, StatusState.valid)


@dataclass(frozen=True)
class EntryResult:
    """What one ``credentialStatus`` entry says."""

    state: StatusState
    reason: str
    purpose: str | None = None
    list_url: str | None = None
    index: int | None = None
    # The status is unknown because the credential's own entry is malformed (its fault), not
    # because its list could not be had or trusted.
    entry_unreadable: bool = False


@dataclass(frozen=True)
class StatusResult:
    """The credential's status, why, and what each of its entries said."""

    state: StatusState
    reason: str
    entries: tuple[EntryResult, ...] = ()


def check_credential_status(
    credential: dict[str, Any],
    *,
    fetch: FetchList,
    resolve_key: ResolveKey,
    now: datetime | None = None,
) -> StatusResult:
    """Return the status of ``credential`` as its status lists state it.

    ``fetch`` returns the status list credential at a URL (raising ``StatusListUnavailable``
    when it cannot); ``resolve_key`` maps a verification method to its public key.
    """
    entries = status_entries_of(credential)
    if not entries:
        return StatusResult(StatusState.valid, "the credential carries no credentialStatus")
    moment = now or datetime.now(UTC)
    issuer = _id_of(credential.get("issuer"))
    results = tuple(
        _check_entry(entry, issuer, fetch=fetch, resolve_key=resolve_key, now=moment)
        for entry in entries
    )
    state = next(s for s in _PRECEDENCE if any(r.state == s for r in results))
    deciding = [r for r in results if r.state == state]
    return StatusResult(state, "; ".join(r.reason for r in deciding), results)


def _check_entry(
    raw: Any, issuer: str | None, *, fetch: FetchList, resolve_key: ResolveKey, now: datetime
) -> EntryResult:
    try:
        entry = read_entry(raw)
    except UnreadableEntry as error:
        return EntryResult(StatusState.unknown, f"status unknown: {error}", entry_unreadable=True)

    def unknown(reason: str) -> EntryResult:
        return _result(entry, StatusState.unknown, f"status unknown: {reason}")

    if entry.purpose not in PURPOSES:
        return _result(
            entry, StatusState.valid, f"a {entry.purpose!r} entry says nothing about validity"
        )
    try:
        document = fetch(entry.list_url)
    except StatusListUnavailable as error:
        return unknown(str(error))
    problem = _list_problem(document, issuer, resolve_key, now)
    if problem:
        return unknown(f"the status list {entry.list_url} {problem}")
    try:
        bits = read_status_list(document, entry.purpose)
    except InvalidStatusList as error:
        return unknown(f"the status list {entry.list_url} is unusable: {error}")
    if entry.index >= len(bits) * 8:
        return unknown(f"index {entry.index} is outside the list's {len(bits) * 8} entries")
    if not get_bit(bits, entry.index):
        return _result(entry, StatusState.valid, f"not {_past(entry.purpose)}")
    state = StatusState.revoked if entry.purpose == REVOCATION else StatusState.suspended
    return _result(entry, state, f"{_past(entry.purpose)} by its issuer")


def _list_problem(
    document: Any, issuer: str | None, resolve_key: ResolveKey, now: datetime
) -> str | None:
    """Say what makes a fetched list untrustworthy: its proof, its issuer, its validity."""
    if not isinstance(document, dict):
        return "is not a JSON object"
    list_issuer = _id_of(document.get("issuer"))
    if issuer is not None and list_issuer != issuer:
        return f"was issued by {list_issuer!r}, not by the credential's issuer {issuer!r}"
    proofs = VERIFIED_LISTS.verify(document, resolve_key)
    bad = [p for p in proofs if not p.ok]
    if bad:
        return "fails its proof: " + "; ".join(p.reason for p in bad)
    for proof in proofs:
        if proof.verification_method.split("#", 1)[0] != list_issuer:
            return f"is signed by {proof.verification_method}, not by its issuer {list_issuer}"
    valid_from, valid_until = document.get("validFrom"), document.get("validUntil")
    # A list signed a moment after the verifier read its clock (e.g. signed on first fetch
    # during this very check, its validFrom truncated to the second) is not from the future.
    if valid_from is not None and _moment(valid_from, now) > now + CLOCK_SKEW:
        return f"is not valid before {valid_from}"
    if valid_until is not None and _moment(valid_until, now) < now:
        return f"expired at {valid_until}"
    return None


class VerifiedLists:
    """Status list credentials whose proofs verified, kept by their content and keys.

    Every check of a credential fetches its lists afresh (a revocation shows at once), but a
    list that has not changed since it was last verified, under the same keys, need not have
    its proof canonicalised and checked again: the outcome of a proof check depends on
    nothing else. Only lists whose every proof held are kept, the `size` most recent ones.
    """

    def __init__(self, size: int = 256) -> None:
        self._verified: Recent[tuple[str, tuple[tuple[str, bytes], ...]], list[ProofResult]]
        self._verified = Recent(size)

    def __len__(self) -> int:
        return len(self._verified)

    def verify(self, document: dict[str, Any], resolve_key: ResolveKey) -> list[ProofResult]:
        """Return `data_integrity.verify(document)`, from memory when it held before."""
        keys: dict[str, PublicKey] = {}

        def resolve_once(method: str) -> PublicKey:
            if method not in keys:
                keys[method] = resolve_key(method)
            return keys[method]

        try:
            methods = [str(proof["verificationMethod"]) for proof in _proofs(document)]
            signed_by = tuple((method, resolve_once(method).to_bytes()) for method in methods)
            content = hashlib.sha256(
                json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")
            ).hexdigest()
        except (KeyError, TypeError, ValueError, LookupError):
            return data_integrity.verify(document, resolve_key=resolve_key)
        memo = (content, signed_by)
        kept = self._verified.get(memo)
        if kept is not None:
            return kept
        proofs = data_integrity.verify(document, resolve_key=resolve_once)
        if proofs and all(proof.ok for proof in proofs):
            self._verified.keep(memo, proofs)
        return proofs


def _proofs(document: dict[str, Any]) -> list[Any]:
    proof = document.get("proof")
    return proof if isinstance(proof, list) else [proof]


VERIFIED_LISTS = VerifiedLists()


def _moment(value: Any, now: datetime) -> datetime:
    """Return a dateTime of the list; one that cannot be read counts as already expired."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _result(entry: StatusEntry, state: StatusState, reason: str) -> EntryResult:
    return EntryResult(state, reason, entry.purpose, entry.list_url, entry.index)


def _past(purpose: str) -> str:
    return "revoked" if purpose == REVOCATION else "suspended"


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None
