"""One reason a course fits a learner (or does not), as words in the learner's language.

A reason keeps its English message (the gettext id) and its values apart, and is put into
words only when shown, so the same ranking reads in English and in German.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date

from microcred import i18n


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated when the reason is shown."""
    return message


DELIVERY_NAMES = {"online": N_("online"), "blended": N_("blended"), "onsite": N_("on site")}


@dataclass(slots=True)
class Reason:
    """A sentence about the fit, and how much it moved the course up (+) or down (-)."""

    message: str
    points: float
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def fits(self) -> bool:
        return self.points > 0

    def text(self, lang: str) -> str:
        """Return the reason in ``lang`` (English when there is no translation)."""
        shown = {name: _shown(value, lang) for name, value in self.values.items()}
        return i18n.translations(lang).gettext(self.message) % shown


def _shown(value: object, lang: str) -> str:
    if isinstance(value, Reason):
        return value.text(lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int):
        return f"{value:g}" if lang == "en" else f"{value:g}".replace(".", ",")
    if isinstance(value, date):
        return format_date(value, format="long", locale=lang)
    if isinstance(value, str) and value in DELIVERY_NAMES:
        return i18n.translations(lang).gettext(DELIVERY_NAMES[value])
    return str(value)
