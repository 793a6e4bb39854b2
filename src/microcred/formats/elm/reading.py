"""Defensive reading of ELM v3 JSON-LD nodes: one value or many, language maps, concepts.

ELM documents in the wild vary in shape: a property may hold one object or a list, a language
map may be a plain string, a concept may be an object with ``id`` or a bare URI. These helpers
accept every shape the JSON-LD context allows and raise `ElmShapeError` naming the path of
anything else, so an importer never guesses silently.
"""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(
    r"^P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?(?:(?P<weeks>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


class ElmShapeError(ValueError):
    """A value in an ELM document has a shape the importer cannot read."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def many(value: Any) -> list[Any]:
    """Return the value as a list: nothing gives [], one value gives [value]."""
    if value is None:
        return []
    if isinstance(value, list):
        return [item for item in value if item is not None]
    return [value]


def one(value: Any, path: str) -> Any:
    """Return the single value of a property that may also be written as a one-item list."""
    values = many(value)
    if not values:
        return None
    if len(values) > 1:
        raise ElmShapeError(path, f"expected one value, found {len(values)}")
    return values[0]


def node(value: Any, path: str) -> dict[str, Any]:
    """Return a JSON-LD node object (a dict), or {} when absent."""
    value = one(value, path)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ElmShapeError(path, f"expected an object, got {type(value).__name__} {value!r:.60}")
    return value


def nodes(value: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    """Return each node of a one-or-many property with its own path, e.g. 'x.outcome[1]'."""
    values = many(value)
    found = []
    for index, item in enumerate(values):
        item_path = f"{path}[{index}]" if len(values) > 1 or isinstance(value, list) else path
        if not isinstance(item, dict):
            raise ElmShapeError(item_path, f"expected an object, got {type(item).__name__}")
        found.append((item_path, item))
    return found


def language_map(value: Any, path: str, default_language: str = "en") -> dict[str, str]:
    """Return a language map {tag: text} from a map, a plain string or JSON-LD value objects."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {default_language: value} if value.strip() else {}
    if isinstance(value, list):
        merged: dict[str, str] = {}
        for index, item in enumerate(value):
            for tag, text in language_map(item, f"{path}[{index}]", default_language).items():
                merged[tag] = f"{merged[tag]}; {text}" if tag in merged else text
        return merged
    if not isinstance(value, dict):
        raise ElmShapeError(path, f"expected a language map or text, got {type(value).__name__}")
    if "@value" in value:
        tag = value.get("@language") or default_language
        return language_map(value["@value"], path, str(tag))
    result: dict[str, str] = {}
    for tag, text in value.items():
        texts = [text] if isinstance(text, str) else text
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise ElmShapeError(f"{path}.{tag}", "expected text in a language map")
        joined = "; ".join(t.strip() for t in texts if t.strip())
        if joined:
            result[tag] = joined
    return result


def note_text(value: Any, path: str, default_language: str = "en") -> dict[str, str]:
    """Return the text of one or many ELM Note nodes (``noteLiteral``), or of plain text."""
    merged: dict[str, str] = {}
    for index, item in enumerate(many(value)):
        item_path = f"{path}[{index}]" if isinstance(value, list) else path
        literal = item.get("noteLiteral") if isinstance(item, dict) else item
        for tag, text in language_map(literal, item_path, default_language).items():
            merged[tag] = f"{merged[tag]}\n{text}" if tag in merged else text
    return merged


def concept_uri(value: Any, path: str) -> str | None:
    """Return the URI of a concept written as {"id": uri, ...} or as a bare URI string."""
    return _address(value, path, "id", "a concept with an 'id' URI")


def concept_uris(value: Any, path: str) -> list[str]:
    """Return the URIs of a one-or-many concept property, in document order, without repeats."""
    uris: list[str] = []
    for index, item in enumerate(many(value)):
        uri = concept_uri(item, f"{path}[{index}]" if isinstance(value, list) else path)
        if uri and uri not in uris:
            uris.append(uri)
    return uris


def concept_label(value: Any, path: str, language: str = "en") -> str | None:
    """Return a concept's preferred label in ``language`` (else any), or None."""
    concept = one(value, path)
    if not isinstance(concept, dict):
        return None
    labels = language_map(concept.get("prefLabel"), f"{path}.prefLabel", language)
    return labels.get(language) or next(iter(labels.values()), None)


def web_address(value: Any, path: str) -> str | None:
    """Return the address of a WebResource (``contentURL``) or of a bare URL string."""
    return _address(value, path, "contentURL", "a web resource with a 'contentURL'")


def _address(value: Any, path: str, key: str, expected: str) -> str | None:
    """Return a bare string, or the string under ``key`` of a node; None when absent."""
    value = one(value, path)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get(key), str):
        return str(value[key])
    raise ElmShapeError(path, f"expected {expected}")


def number(value: Any, path: str) -> float | None:
    """Return a number written as a JSON number or as a decimal string ("2", "7.5")."""
    value = one(value, path)
    if value is None:
        return None
    if isinstance(value, bool):
        raise ElmShapeError(path, f"expected a number, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            pass
    raise ElmShapeError(path, f"expected a number, got {value!r}")


def duration_hours(value: Any, path: str) -> float | None:
    """Return the hours of an ISO 8601 duration of learning ("PT60H"; a day counts 24 hours).

    Weeks, months and years say nothing about hours of learning, so they are refused rather
    than converted with a guess.
    """
    value = one(value, path)
    if value is None:
        return None
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or value in ("P", "PT"):
        raise ElmShapeError(path, f"expected an ISO 8601 duration such as 'PT60H', got {value!r}")
    parts = {name: float(amount) for name, amount in match.groupdict().items() if amount}
    if parts.keys() & {"years", "months", "weeks"}:
        raise ElmShapeError(
            path, f"a volume of learning in years, months or weeks ({value}) has no hour count"
        )
    return (
        parts.get("days", 0.0) * 24
        + parts.get("hours", 0.0)
        + parts.get("minutes", 0.0) / 60
        + parts.get("seconds", 0.0) / 3600
    )
