"""Helpers for domain tests: the compliant example, changed one element at a time."""

from __future__ import annotations

from datetime import date
from typing import Any

from microcred.domain.specification import Specification
from support.examples import example_specification

# The date compliance checks compare review dates with, so results do not depend on the clock.
TODAY = date(2026, 1, 15)

SNB = "http://data.europa.eu/snb"
COUNTRY = "http://publications.europa.eu/resource/authority/country"


def example_data() -> dict[str, Any]:
    """Return the compliant example as plain JSON-like data."""
    return example_specification().model_dump(mode="json")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted path such as ``awarding_bodies.0.country`` (in place)."""
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


def changed_example(changes: dict[str, Any]) -> Specification:
    """Return the compliant example with each dotted path in ``changes`` set to its value."""
    data = example_data()
    for path, value in changes.items():
        set_path(data, path, value)
    return Specification.model_validate(data)
