"""Open Badges 2.0 in: verify a hosted or signed assertion, baked or not, check by check.

Most badges institutions awarded before Open Badges 3.0 are OB 2.0 assertions: JSON-LD
documents linked to a BadgeClass and an issuer Profile on the issuer's web server, either
*hosted* (the assertion lives at its own URL, on a host the issuer allows) or *signed* (a
compact JWS made with a key the issuer's Profile publishes). `verify_ob2` reads any of these
forms (a dict, JSON, a JWS, a PNG or SVG with one baked in) and returns the same
`VerificationReport` as every other credential, ending with a warning of what OB 2.0 cannot
prove. Every linked document is fetched under the outbound-fetch policy (`microcred.net`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from microcred.crypto.keys import PublicKey
from microcred.net import FetchPolicy
from microcred.verify.ob2.checks import LIMITS, Ob2Checks
from microcred.verify.ob2.linked import TOTAL_SECONDS, LinkedDocuments
from microcred.verify.ob2.reading import badge_reference, looks_like_ob2
from microcred.verify.pipeline import counted_report, run_checks
from microcred.verify.report import VerificationReport
from microcred.verify.subject import Subject
from microcred.verify.trust import TrustRegistry

__all__ = [
    "LIMITS",
    "Ob2Verified",
    "badge_reference",
    "looks_like_ob2",
    "verify_ob2",
    "verify_ob2_documents",
]


@dataclass(frozen=True)
class Ob2Verified:
    """The report on an OB 2.0 badge and the documents it was checked on: the assertion (a
    hosted one as its issuer serves it), its BadgeClass and the issuer's Profile, each empty
    when its check did not get that far."""

    report: VerificationReport
    assertion: dict[str, Any] = field(default_factory=dict)
    badge_class: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)


def verify_ob2(
    given: Any,
    *,
    recipient: str | None = None,
    now: datetime | None = None,
    trust: TrustRegistry | None = None,
    policy: FetchPolicy | None = None,
    total_seconds: float = TOTAL_SECONDS,
) -> VerificationReport:
    """Return the report on an OB 2.0 assertion: a dict, JSON text or bytes, a compact JWS,
    a hosted assertion's URL, or a baked PNG or SVG.

    `recipient` is the e-mail the badge should be awarded to (unchecked when None); `policy`
    is the outbound-fetch policy (the settings' by default), and every fetch of this
    verification ends within `total_seconds`. Never raises for bad input.
    """
    return verify_ob2_documents(
        given, recipient=recipient, now=now, trust=trust, policy=policy, total_seconds=total_seconds
    ).report


def verify_ob2_documents(
    given: Any,
    *,
    recipient: str | None = None,
    now: datetime | None = None,
    trust: TrustRegistry | None = None,
    policy: FetchPolicy | None = None,
    total_seconds: float = TOTAL_SECONDS,
) -> Ob2Verified:
    """Return what `verify_ob2` reports, with the documents the checks read (for a caller
    that goes on to use the badge, as an upgrade to Open Badges 3.0 does)."""
    subject = Subject(
        given=given,
        now=now or datetime.now(UTC),
        trust=TrustRegistry() if trust is None else trust,
        resolve_key=_no_key,
    )
    ob2 = Ob2Checks(LinkedDocuments(policy, total_seconds), recipient=recipient)
    report = counted_report(run_checks(subject, ob2.checks()))
    return Ob2Verified(report, ob2.assertion, ob2.badge_class, ob2.profile)


def _no_key(method: str) -> PublicKey:
    """OB 2.0 keys are read from the issuer's Profile, never resolved as DIDs."""
    raise LookupError(f"{method}: Open Badges 2.0 keys are not resolved by id")
