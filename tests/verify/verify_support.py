"""Helpers for verification tests: the example micro-credential rendered for an issuer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from microcred.formats.ob3 import AwardData, IssuerProfile, render_achievement_credential
from support.examples import example_specification

SPEC_URL = "https://www.th-lahntal.example/catalogue/data-literacy"
ISSUED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
CHECKED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def unsigned_credential(issuer_did: str, **award: Any) -> dict[str, Any]:
    """Return the example micro-credential, rendered as OB 3.0, issued by `issuer_did`."""
    award.setdefault("issued_on", ISSUED)
    return render_achievement_credential(
        example_specification(),
        AwardData(learner_name="Jana Nowak", email="jana@example.org", **award),
        IssuerProfile(id=issuer_did, name={"en": "Lahntal University of Applied Sciences"}),
        spec_url=SPEC_URL,
    )


def explained(check: Any) -> str:
    """Return what a check says to a person and, after it, its technical detail (if any): a
    result object or its JSON."""
    if isinstance(check, dict):
        reason, details = check["reason"], check.get("details", {})
    else:
        reason, details = check.reason, check.details
    return f"{reason} {details.get('technical', '')}".strip()
