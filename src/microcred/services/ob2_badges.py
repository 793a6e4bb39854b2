"""Open Badges 2.0 badges a learner holds: what the verification found, read for the wallet
and for pathways (which count them by BadgeClass, as credentials from elsewhere).

An OB 2.0 assertion often names its BadgeClass and issuer only by URL; the verification
fetched them, so their ids and names are read from its report rather than fetched again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from microcred.verify import VerificationReport
from microcred.verify.report import CheckStatus
from microcred.verify.shape import parse_date_time


@dataclass(frozen=True)
class Ob2Badge:
    """One verified OB 2.0 badge: the assertion, its BadgeClass and its issuer."""

    assertion_id: str
    badge_class: str
    title: str
    issuer: str
    issuer_name: str
    issued_on: date | None


def ob2_badge(report: VerificationReport) -> Ob2Badge | None:
    """Return the badge an OB 2.0 report established, or None (another format, or the
    assertion, BadgeClass or issuer could not be read)."""
    parse = report.find("parse")
    if parse is None or parse.details.get("format") != "ob2":
        return None
    found = [report.find(name) for name in ("assertion", "badge_class", "issuer_profile")]
    if any(result is None or result.status != CheckStatus.ok for result in found):
        return None
    assertion, badge_class, issuer = (_details(result) for result in found)
    issued = parse_date_time(assertion.get("issued_on"), zone_required=False)
    return Ob2Badge(
        assertion_id=str(assertion.get("id") or ""),
        badge_class=str(badge_class.get("id") or ""),
        title=str(badge_class.get("title") or ""),
        issuer=str(issuer.get("id") or ""),
        issuer_name=str(issuer.get("title") or ""),
        issued_on=issued.date() if issued else None,
    )


def _details(result: Any) -> dict[str, Any]:
    return result.details if result is not None else {}
