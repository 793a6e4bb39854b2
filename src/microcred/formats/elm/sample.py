"""The Commission's sample micro-credential (ELM v3), shipped as package data under EUPL-1.2."""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

COMMISSION_SAMPLE: Traversable = files("microcred").joinpath(
    "data", "elm", "Sample-MC-Annex1-unsigned.jsonld"
)


def commission_sample() -> dict[str, Any]:
    """Return the Commission's unsigned sample micro-credential as parsed JSON."""
    document: dict[str, Any] = json.loads(COMMISSION_SAMPLE.read_text(encoding="utf-8"))
    return document
