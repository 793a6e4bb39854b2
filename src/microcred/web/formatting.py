"""Values shown to people: vocabulary labels, durations and numbers in the interface language."""

from __future__ import annotations

import re
from collections.abc import Callable

from microcred.domain.vocabularies import label
from microcred.i18n import ngettext_

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
# Years, months, weeks, days: the order of the groups above.
_UNITS: tuple[Callable[[int], str], ...] = (
    lambda n: ngettext_("%(num)d year", "%(num)d years", n),
    lambda n: ngettext_("%(num)d month", "%(num)d months", n),
    lambda n: ngettext_("%(num)d week", "%(num)d weeks", n),
    lambda n: ngettext_("%(num)d day", "%(num)d days", n),
)


def vocabulary_label(uri: str, lang: str) -> str:
    """Return the label of a vocabulary value in ``lang`` (English fallback; else the value)."""
    return label(str(uri), lang)


def duration_text(iso: str | None) -> str:
    """Return an ISO 8601 duration such as ``P10W`` as words: "10 weeks"."""
    if not iso:
        return ""
    match = _DURATION.match(iso)
    if not match:
        return iso
    parts = [
        _UNITS[index](int(amount)) % {"num": int(amount)}
        for index, amount in enumerate(match.groups())
        if amount
    ]
    return ", ".join(parts) or iso


def number_text(value: float | None) -> str:
    """Return a number without a needless ".0": 5.0 -> "5", 2.5 -> "2.5"."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
