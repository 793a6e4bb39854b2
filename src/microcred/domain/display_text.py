"""Text a credential says, as people read it: one string in the viewer's language.

A credential's names and descriptions arrive in any of the JSON-LD forms of a string: plain
text, a language value object (``{"@value": "…", "@language": "de"}``), a list of those, or (in
our own data) a language map (``{"en": "…", "de": "…"}``). Every page, PDF and e-mail shows
them through `display_text`, which never prints the data structure itself: it picks the
viewer's language, then the same language without its region, then English, then the first
text there is.
"""

from __future__ import annotations

import re
from typing import Any

from microcred.domain.specification import localise

# The tag of text that does not say its language.
UNTAGGED = "und"
MAX_ITEMS = 64  # of a list of values: a name with more is not read further
# A BCP 47 tag as language maps use it: a 2-3 letter language, then subtags ("de", "de-AT").
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# Keys that make a JSON object a node (an id, a type) rather than a language map.
NODE_KEYS = frozenset({"id", "type", "@id", "@type"})


def language_map(value: Any, language: str = UNTAGGED) -> dict[str, str]:
    """Return ``value`` as a language map; plain strings count as ``language``.

    Anything that is not text (numbers, nested objects, ids) gives no entry, so a hostile or
    odd document yields an empty map rather than an error or a printed structure.
    """
    if isinstance(value, str):
        return {language: value} if value.strip() else {}
    if isinstance(value, dict):
        if "@value" in value:
            text = value["@value"]
            tag = value.get("@language")
            if not isinstance(text, str) or not text.strip():
                return {}
            return {tag if isinstance(tag, str) and tag else language: text}
        if NODE_KEYS & value.keys() or not all(
            isinstance(tag, str) and LANGUAGE_TAG.fullmatch(tag) for tag in value
        ):
            return {}
        return {tag: text for tag, text in value.items() if isinstance(text, str) and text.strip()}
    if isinstance(value, list):
        merged: dict[str, str] = {}
        for item in value[:MAX_ITEMS]:
            if isinstance(item, list):
                continue  # lists of lists are not JSON-LD text
            for tag, text in language_map(item, language).items():
                merged.setdefault(tag, text)
        return merged
    return {}


def display_text(value: Any, lang: str, fallback: str = "en") -> str:
    """Return the text of ``value`` for a viewer reading ``lang`` ("" when it holds none)."""
    return localise(language_map(value), lang, fallback)
