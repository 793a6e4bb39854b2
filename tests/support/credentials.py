"""A batch of realistic unsigned credentials, each to a different learner (tests and benchmarks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from microcred.formats.ob3 import AwardData, IssuerProfile, render_achievement_credential

from .examples import example_specification


def credentials(count: int, issuer_did: str, start: int = 0) -> list[dict[str, Any]]:
    """Return `count` unsigned OB 3.0 micro-credentials, each to a different learner."""
    spec = example_specification()
    issuer = IssuerProfile(id=issuer_did, name={"en": "Lahntal University of Applied Sciences"})
    return [
        render_achievement_credential(
            spec,
            AwardData(
                learner_name=f"Learner {number}",
                email=f"learner{number}@example.org",
                issued_on=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
            ),
            issuer,
            spec_url="https://www.th-lahntal.example/catalogue/data-literacy",
        )
        for number in range(start, start + count)
    ]
