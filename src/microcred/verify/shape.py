"""JSON-Schema-like field checks in code: each says what a value must be and where it failed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.formats.ob3.iri import is_absolute_iri
from microcred.verify.document import as_list, types_of

# xsd:dateTimeStamp (VC 2.0): a date, a time and a zone; VC 1.1 allows the zone to be missing.
_DATE_TIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(?P<zone>Z|[+-]\d{2}:\d{2})?$"
)


@dataclass(frozen=True)
class Rule:
    """A field of a JSON object: its name, whether it must be there, and what it must be."""

    key: str
    test: Callable[[Any], bool]
    expected: str
    required: bool = True


def problems_in(node: Any, path: str, rules: list[Rule]) -> list[str]:
    """Return one message per rule that `node` (a JSON object at `path`) breaks."""
    if not isinstance(node, dict):
        return [f"{path} must be a JSON object"]
    problems = []
    for rule in rules:
        if rule.key not in node:
            if rule.required:
                problems.append(f"{path}.{rule.key} is required ({rule.expected})")
        elif not rule.test(node[rule.key]):
            problems.append(
                f"{path}.{rule.key} must be {rule.expected}, got {node[rule.key]!r:.80}"
            )
    return problems


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and is_absolute_iri(value)


def is_iri_or_node(value: Any) -> bool:
    """A URL/DID, or an object whose `id` is one."""
    return is_iri(value) or (isinstance(value, dict) and is_iri(value.get("id")))


def is_text(value: Any) -> bool:
    """A string, a value object (`@value`, `@language`, `@direction`), or a list of those."""
    items = as_list(value)
    return bool(items) and all(
        isinstance(item, str) or (isinstance(item, dict) and isinstance(item.get("@value"), str))
        for item in items
    )


def is_object_or_objects(value: Any) -> bool:
    items = as_list(value)
    return bool(items) and all(isinstance(item, dict) for item in items)


def has_type(wanted: str) -> Callable[[Any], bool]:
    """A `type` value (a string or a list) that includes `wanted`."""
    return lambda value: wanted in types_of({"type": value})


def has_any_type(*wanted: str) -> Callable[[Any], bool]:
    return lambda value: bool(set(wanted) & set(types_of({"type": value})))


def is_date_time_stamp(value: Any) -> bool:
    """An xsd:dateTimeStamp: date, time and time zone (VC 2.0)."""
    return parse_date_time(value, zone_required=True) is not None


def is_date_time(value: Any) -> bool:
    """An xsd:dateTime, the zone optional (VC 1.1)."""
    return parse_date_time(value, zone_required=False) is not None


def parse_date_time(value: Any, *, zone_required: bool) -> datetime | None:
    """Return the UTC moment an XML Schema date-time names (no zone means UTC), or None."""
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.match(value)
    if not match or (zone_required and not match.group("zone")):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
