"""What the checks of one verification look at: the input, what parsing made of it, the options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred.crypto.keys import PublicKey
from microcred.verify.report import CheckResult
from microcred.verify.trust import TrustRegistry


@dataclass
class Subject:
    """One credential or presentation under verification; the parse check fills `document`."""

    given: Any
    now: datetime
    trust: TrustRegistry
    resolve_key: Callable[[str], PublicKey]
    kind: str = "credential"  # or "presentation"
    purpose: str = "assertionMethod"
    challenge: str | None = None
    domain: str | None = None
    document: dict[str, Any] | None = None
    jwt: str | None = None  # the compact JWS, when the credential came as vc+jwt
    # The verification methods (or JWS `kid`) of the proofs the proof check verified.
    proof_methods: list[str] = field(default_factory=list)
    # Fetches a status list credential by URL (None: over HTTPS, see verify.status).
    fetch_status_list: Callable[[str], dict[str, Any]] | None = None
    results: dict[str, CheckResult] = field(default_factory=dict)

    @property
    def parsed(self) -> dict[str, Any]:
        """Return the parsed document; only checks that run after a successful parse call it."""
        if self.document is None:
            raise RuntimeError("the parse check has not produced a document")
        return self.document
