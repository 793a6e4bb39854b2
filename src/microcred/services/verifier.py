"""This instance's verifier: the one place its trust, keys and status lists are put together.

Every face that verifies (the VC API, the verify page, the public credential page, the wallet,
OpenID4VP, `microcred verify`) asks an `InstanceVerifier` (which also takes Open Badges 2.0
assertions, see `microcred.verify.ob2`), so each gives the same outcome and
the same checks for the same credential. It trusts the issuers of the trusted-issuers file and
this instance's own institutions (read from the database, see `OwnIssuers`); it reads our own
DID documents and status lists from the database and everyone else's through the outbound
fetcher (`microcred.net`, under the settings' fetch policy).

Without a database (`microcred verify` outside an installation) it trusts the file's issuers
only and fetches every key and list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from microcred.config import Settings
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PublicKey
from microcred.crypto.sd_jwt import KeyBinding
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.own_issuers import SOURCE, OwnAndListedIssuers, OwnIssuers
from microcred.services.status import StatusLists
from microcred.verify import CheckResult, TrustRegistry, VerificationReport, verify_credential
from microcred.verify.fetch import fetch_policy
from microcred.verify.ob2 import Ob2Verified, looks_like_ob2, verify_ob2, verify_ob2_documents
from microcred.verify.pipeline import (
    StatusListFetch,
    verify_presentation,
    verify_sd_jwt_presentation,
)
from microcred.verify.status import DEFAULT_FETCHER


class InstanceVerifier:
    """Verify credentials and presentations as this instance does, whichever face asks."""

    def __init__(
        self,
        keys: IssuerKeys | None,
        status: StatusLists | None,
        settings: Settings,
        trust: TrustRegistry | None = None,
    ) -> None:
        """`keys` and `status` are this instance's (None: no database to read them from);
        `trust` replaces the settings' trusted-issuers file when given."""
        self.settings = settings
        self.status = status
        self.own = OwnIssuers(keys) if keys is not None else None
        self._listed = trust
        self._registry: TrustRegistry | None = None

    def registry(self) -> TrustRegistry:
        """Return the trusted issuers: the file's (read once) and, live, our own institutions'."""
        if self._registry is None:
            listed = self._listed if self._listed is not None else _listed(self.settings)
            self._registry = listed if self.own is None else OwnAndListedIssuers(self.own, listed)
        return self._registry

    def key_resolver(self, purpose: str = "assertionMethod") -> Callable[[str], PublicKey]:
        """Return a `resolve_key`: our own DIDs from the database, others' through the fetcher."""
        if self.own is None:
            return key_resolver(purpose=purpose)
        return self.own.key_resolver(purpose)

    def status_fetcher(self) -> StatusListFetch:
        """Return the status-list fetch: our own lists from the database, others' over HTTPS."""
        if self.status is None:
            return DEFAULT_FETCHER
        return self.status.published.fetcher(DEFAULT_FETCHER)

    def options(self) -> dict[str, Any]:
        """Return the keyword arguments `verify_credential` takes for this instance's trust."""
        return {
            "trust": self.registry(),
            "resolve_key": self.key_resolver(),
            "fetch_status_list": self.status_fetcher(),
        }

    def verify(self, document: Any, *, recipient: str | None = None) -> VerificationReport:
        """Return the report on a credential (a dict, JSON text or bytes, a vc+jwt, an EDC,
        a baked image, an Open Badges 2.0 assertion).

        `recipient` is the e-mail an Open Badges 2.0 badge must be awarded to (the wallet's
        owner); other credentials bind their subject otherwise and ignore it.
        """
        if looks_like_ob2(document):
            policy = fetch_policy(self.settings)
            return verify_ob2(document, recipient=recipient, trust=self.registry(), policy=policy)
        return verify_credential(document, **self.options())

    def verify_ob2(self, badge: Any) -> Ob2Verified:
        """Return the report on an Open Badges 2.0 badge (in any of its forms, recipient not
        checked) with the documents it was checked on."""
        policy = fetch_policy(self.settings)
        return verify_ob2_documents(badge, trust=self.registry(), policy=policy)

    def verify_presentation(
        self, presentation: Any, challenge: str, domain: str | None = None
    ) -> VerificationReport:
        """Return the report on a presentation and on each credential it carries."""
        return verify_presentation(
            presentation,
            challenge,
            domain,
            trust=self.registry(),
            resolve_key=self.key_resolver("authentication"),
            credential_key=self.key_resolver(),
            fetch_status_list=self.status_fetcher(),
        )

    def verify_sd_jwt_presentation(
        self, presentation: str, key_binding: KeyBinding, *, now: datetime | None = None
    ) -> tuple[VerificationReport, dict[str, Any]]:
        """Return the report on an SD-JWT VC presentation and the claims it disclosed."""
        return verify_sd_jwt_presentation(presentation, key_binding, now=now, **self.options())

    def verify_pdf_seal(self, pdf: bytes) -> CheckResult:
        """Return the verdict on a PDF certificate's PAdES seal (level, sealer, time, integrity,
        trust), apart from the credential the PDF carries: verify that with `verify`."""
        # pyHanko loads on the first PDF, not when a server process starts.
        from microcred.verify.pdf_seal import check_pdf_seal

        return check_pdf_seal(pdf)

    def own_issuer(self, did: str) -> bool:
        """True when ``did`` is one this instance has issued under."""
        entry = self.registry().lookup(did)
        return entry is not None and entry.source == SOURCE


def _listed(settings: Settings) -> TrustRegistry:
    """Return the settings' trusted-issuers file (empty when none is configured)."""
    path = settings.trusted_issuers_file
    return TrustRegistry.load(path) if path else TrustRegistry()
