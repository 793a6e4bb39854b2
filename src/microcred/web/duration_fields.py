"""Durations on the designer form as a number and a unit, stored as ISO 8601 (``P10W``).

People think "10 weeks", not ``P10W``: the form shows ``duration.amount`` and
``duration.unit``, and the document gets one ISO 8601 value. A stored duration that is not
one number and one unit (``P1Y6M``) is shown in the text field it always had, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from microcred.i18n import _

DURATION_FIELDS = ("duration", "default_validity")
AMOUNT, UNIT = ".amount", ".unit"
_SIMPLE = re.compile(r"P(\d+)([DWMY])")


def unit_names() -> list[tuple[str, str]]:
    """Return the units a duration is given in, as (ISO 8601 letter, name) pairs."""
    return [("D", _("days")), ("W", _("weeks")), ("M", _("months")), ("Y", _("years"))]


def combined(items: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Return the posted fields with each amount and unit pair made into one ISO duration.

    An amount that is not a whole number is passed on as typed (``P1.5W``), so the
    specification's own check reports it under the duration's name.
    """
    fields = list(items)
    given = dict(fields)
    parts = {f + suffix for f in DURATION_FIELDS for suffix in (AMOUNT, UNIT)}
    kept = [(name, value) for name, value in fields if name not in parts]
    for field in DURATION_FIELDS:
        amount = str(given.get(field + AMOUNT) or "").strip()
        unit = str(given.get(field + UNIT) or "").strip()
        if amount and not str(given.get(field) or "").strip():
            kept.append((field, f"P{amount}{unit or 'W'}"))
    return kept


def split(values: dict[str, Any]) -> dict[str, Any]:
    """Return form values with each simple stored duration shown as an amount and a unit."""
    shown = dict(values)
    for field in DURATION_FIELDS:
        match = _SIMPLE.fullmatch(str(shown.get(field) or ""))
        if match:
            del shown[field]
            shown[field + AMOUNT], shown[field + UNIT] = match.groups()
    return shown
