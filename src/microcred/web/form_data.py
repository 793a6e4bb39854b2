"""Flat HTML form fields ⇄ the nested specification document.

Field names are dotted paths into the document: ``title.en``, ``workload.ects``,
``learning_outcomes.0.text.de``. A name ending in ``[]`` holds a list of plain values
(checkboxes, multi-selects, one-per-line text areas). Empty fields are left out, so an
untouched part of the form (an empty text area included) adds nothing to the document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from microcred.web import duration_fields

LIST_SUFFIX = "[]"
# Fields not part of the specification itself.
CONTROL_FIELDS = frozenset({"csrf_token", "action", "institution", "lang"})


def document_from_form(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Return the specification document the posted fields describe."""
    document: dict[str, Any] = {}
    for name, raw in duration_fields.combined(items):
        if name in CONTROL_FIELDS or not isinstance(raw, str):
            continue
        if name.endswith(LIST_SUFFIX):
            values = [line.strip() for line in raw.splitlines() if line.strip()]
            if values:
                _put(document, name[: -len(LIST_SUFFIX)].split("."), values, extend=True)
        elif raw.strip():
            _put(document, name.split("."), raw.strip(), extend=False)
    return _indexed_to_lists(document)


def _put(node: dict[str, Any], path: list[str], value: Any, *, extend: bool) -> None:
    for key in path[:-1]:
        node = node.setdefault(key, {})
    last = path[-1]
    if extend:
        node.setdefault(last, []).extend(value)
    else:
        node[last] = value


def _indexed_to_lists(node: Any) -> Any:
    """Turn dicts keyed only by numbers ({"0": .., "1": ..}) into lists, in number order."""
    if not isinstance(node, dict):
        return node
    converted = {key: _indexed_to_lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def form_from_document(document: dict[str, Any]) -> dict[str, Any]:
    """Return the form field values that show ``document`` (the inverse of the above)."""
    values: dict[str, Any] = {}
    _flatten(document, "", values)
    return duration_fields.split(values)


def _flatten(node: Any, prefix: str, values: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}{key}.", values)
    elif isinstance(node, list) and all(isinstance(item, dict) for item in node) and node:
        for index, item in enumerate(node):
            _flatten(item, f"{prefix}{index}.", values)
    elif isinstance(node, list):
        values[prefix[:-1] + LIST_SUFFIX] = [str(item) for item in node]
    elif node is not None:
        values[prefix[:-1]] = _as_text(node)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_count(values: dict[str, Any], group: str) -> int:
    """Return how many rows of a repeated group (``awarding_bodies``) the values fill."""
    prefix = f"{group}."
    indexes = {
        int(name[len(prefix) :].split(".")[0])
        for name in values
        if name.startswith(prefix) and name[len(prefix) :].split(".")[0].isdigit()
    }
    return max(indexes) + 1 if indexes else 0
