"""Multilingual text: a language map ⇄ a JSON-LD string or list of language-tagged value objects.

A map in the document's own language (`inLanguage`) and a left-to-right script renders as a
plain string, which is what Open Badges displayers expect. Anything else renders as value
objects (`{"@value", "@language"}`, plus `"@direction": "rtl"` for right-to-left scripts), the
VC 2.0 way to say which language and which reading direction a string has.
"""

from __future__ import annotations

from typing import Any

# Primary language subtags whose usual script is written right to left.
RIGHT_TO_LEFT = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
)


def direction(language: str) -> str:
    """Return "rtl" or "ltr", the base direction of text in `language` (a BCP 47 tag)."""
    tags = language.lower().split("-")
    if "arab" in tags[1:] or "hebr" in tags[1:]:
        return "rtl"
    if "latn" in tags[1:] or "cyrl" in tags[1:]:
        return "ltr"
    return "rtl" if tags[0] in RIGHT_TO_LEFT else "ltr"


def render_text(value: dict[str, str], language: str) -> str | list[dict[str, str]] | None:
    """Return the JSON-LD form of the language map `value`; `language` is the document's own."""
    if not value:
        return None
    if list(value) == [language] and direction(language) == "ltr":
        return value[language]
    return [_value_object(tag, text) for tag, text in value.items()]


def _value_object(language: str, text: str) -> dict[str, str]:
    result = {"@value": text, "@language": language}
    if direction(language) == "rtl":
        result["@direction"] = "rtl"
    return result


def read_text(value: Any, language: str) -> dict[str, str]:
    """Return the language map a JSON-LD text value says; a plain string is in `language`."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {language: value}
    items = value if isinstance(value, list) else [value]
    result: dict[str, str] = {}
    for item in items:
        if isinstance(item, str):
            result.setdefault(language, item)
        elif isinstance(item, dict) and isinstance(item.get("@value"), str):
            result[item.get("@language") or language] = item["@value"]
        else:
            raise ValueError(f"expected a string or a language-tagged value, got {item!r}")
    return result
