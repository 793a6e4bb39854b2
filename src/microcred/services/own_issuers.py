"""This instance's own issuers as its verifier sees them: their DIDs, names and public keys.

Read from the database, then kept for `FRESH_SECONDS` so a verifier under load does not run
the same queries on every request. What cannot be stale in a way that matters is read again
at once: a DID or a verification method not seen yet (an institution added, a key rotated)
is looked up in the database on the spot. Keys are never deleted, and a retired key still
asserts, so a kept DID document can only be behind on which key may *authenticate* and on an
institution's display name, each for at most `FRESH_SECONDS`.

The web addresses of the Open Badges 2.0 issuer Profiles our institutions name as their own
are trusted as those institutions too (kept the same way; a change shows within
`FRESH_SECONDS`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from microcred.crypto.did_document import UnresolvableKey, key_in_document
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PublicKey
from microcred.services.issuer_keys import IssuerKeys, NoIssuerKey, NotOurIssuer, display_name
from microcred.store.institutions import all_institutions
from microcred.verify.trust import TrustedIssuer, TrustRegistry

FRESH_SECONDS = 5.0
SOURCE = "own institution"
# An institution's Open Badges 2.0 issuer (a web address it names as its own): trusted as
# the institution, but not one of our DIDs (`InstanceVerifier.own_issuer` stays False).
OB2_SOURCE = "own institution's Open Badges 2.0 issuer"


@dataclass
class _Kept:
    value: Any
    read_at: float


@dataclass
class OwnIssuers:
    """Our issuers' names and DID documents, read from the database and kept a few seconds."""

    keys: IssuerKeys
    fresh_seconds: float = FRESH_SECONDS
    clock: Callable[[], float] = time.monotonic
    _names: _Kept | None = None
    _ob2_names: _Kept | None = None
    _documents: dict[str, _Kept] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _fresh(self, kept: _Kept | None) -> bool:
        return kept is not None and self.clock() - kept.read_at < self.fresh_seconds

    def names(self, *, reread: bool = False) -> dict[str, str]:
        """Return the name of each DID we have issued under (see `IssuerKeys.issuers`)."""
        kept = self._names
        if reread or kept is None or not self._fresh(kept):
            kept = _Kept(dict(self.keys.issuers()), self.clock())
            with self._lock:
                self._names = kept
        names: dict[str, str] = kept.value
        return names

    def trusted(self, did: str) -> TrustedIssuer | None:
        """Return the entry of ``did`` if it is one of ours; an unknown DID is read again."""
        name = self.names().get(did)
        if name is None:
            name = self.names(reread=True).get(did)
        return None if name is None else TrustedIssuer(id=did, name=name, source=SOURCE)

    def ob2_names(self) -> dict[str, str]:
        """Return the institution's name of each OB 2.0 issuer an institution names as its own."""
        kept = self._ob2_names
        if kept is None or not self._fresh(kept):
            with self.keys.db.transaction(write=False) as session:
                names = {
                    issuer: display_name(row.name)
                    for row in all_institutions(session)
                    for issuer in row.ob2_issuers or []
                }
            kept = _Kept(names, self.clock())
            with self._lock:
                self._ob2_names = kept
        found: dict[str, str] = kept.value
        return found

    def trusted_ob2(self, issuer: str) -> TrustedIssuer | None:
        """Return the entry of an OB 2.0 issuer Profile one of our institutions names."""
        name = self.ob2_names().get(issuer)
        return None if name is None else TrustedIssuer(id=issuer, name=name, source=OB2_SOURCE)

    def document(self, did: str, *, reread: bool = False) -> dict[str, Any]:
        """Return our DID document of ``did``; raises `NotOurIssuer` or `NoIssuerKey`."""
        kept = self._documents.get(did)
        if reread or kept is None or not self._fresh(kept):
            kept = _Kept(self.keys.did_document(self.keys.owner_of(did), did), self.clock())
            with self._lock:
                self._documents[did] = kept
        document: dict[str, Any] = kept.value
        return document

    def key_resolver(self, purpose: str = "assertionMethod") -> Callable[[str], PublicKey]:
        """Return a `resolve_key`: our own DIDs from the documents kept, others' over HTTPS."""
        over_network = key_resolver(purpose=purpose)

        def resolve_key(method_id: str) -> PublicKey:
            did = method_id.split("#", 1)[0]
            if not did.startswith("did:web:"):  # did:key carries its key; others are not ours
                return over_network(method_id)
            try:
                try:
                    return key_in_document(self.document(did), method_id, purpose)
                except UnresolvableKey:  # a key made since the document was read?
                    return key_in_document(self.document(did, reread=True), method_id, purpose)
            except (NotOurIssuer, NoIssuerKey, UnresolvableKey):
                return over_network(method_id)

        return resolve_key


class OwnAndListedIssuers(TrustRegistry):
    """The trusted issuers: our own (kept by `OwnIssuers`) and those of a registry file."""

    def __init__(self, own: OwnIssuers, listed: TrustRegistry) -> None:
        super().__init__()
        self.own = own
        self.listed = listed

    def __len__(self) -> int:
        return len(self.listed) + len(self.own.names()) + len(self.own.ob2_names())

    def lookup(self, issuer_id: str) -> TrustedIssuer | None:
        """Return our own entry for ``issuer_id`` if there is one (one of our DIDs, or an OB 2.0
        issuer of one of our institutions), else the file's."""
        own = self.own.trusted(issuer_id) or self.own.trusted_ob2(issuer_id)
        return own or self.listed.lookup(issuer_id)

    def with_issuers(self, issuers: Iterable[TrustedIssuer]) -> TrustRegistry:
        """Return these registries with more listed issuers (our own entries still win)."""
        return OwnAndListedIssuers(self.own, self.listed.with_issuers(issuers))
