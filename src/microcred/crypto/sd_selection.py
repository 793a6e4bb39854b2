"""JSON pointer selection (W3C vc-di-ecdsa, "selectJsonLd"): the part of a JSON-LD document that
a list of JSON pointers (RFC 6901) names, as a JSON-LD document of its own.

Each selected value keeps its context: the selection copies the document's `@context`, and every
object on the way to a selected value keeps its `id` (unless a blank node) and `type`, so that the
selection says the same things about the same nodes as the document does. Arrays keep the order
of the elements selected from them.
"""

from __future__ import annotations

import copy
import re
from typing import Any

MAX_POINTERS = 256
"""More pointers than a credential has values is not a selection anyone needs."""
_ARRAY_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")


class PointerError(ValueError):
    """A JSON pointer is malformed or names nothing in the document; the message quotes it."""


class _Sparse(dict[int, Any]):
    """An array being selected: the elements chosen so far, by index in the source array."""


def parse_pointer(pointer: Any) -> list[str]:
    """Return the reference tokens of a JSON pointer (`/a/b~1c` → `["a", "b/c"]`)."""
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise PointerError(f"{pointer!r} is not a JSON pointer (it must start with '/')")
    if re.search(r"~(?![01])", pointer):
        raise PointerError(f"{pointer!r} has a '~' not followed by 0 or 1")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def check_pointers(pointers: Any, where: str) -> list[str]:
    """Return `pointers` as a list of strings after checking each parses; raises PointerError."""
    if not isinstance(pointers, list) or len(pointers) > MAX_POINTERS:
        raise PointerError(f"{where} must be a list of at most {MAX_POINTERS} JSON pointers")
    for pointer in pointers:
        parse_pointer(pointer)
    return list(pointers)


def select_json_ld(pointers: list[str], document: dict[str, Any]) -> dict[str, Any] | None:
    """Return the selection of `document` the pointers name, or None for no pointers.

    Raises `PointerError` for a pointer that names nothing in `document`.
    """
    if not pointers:
        return None
    selection = _initial_selection(document)
    selection["@context"] = copy.deepcopy(document.get("@context"))
    for pointer in pointers:
        _select_path(pointer, document, selection)
    result: dict[str, Any] = _densified(selection)
    return result


def _initial_selection(source: Any) -> dict[str, Any]:
    """What a selected object always keeps: its `id` (unless a blank node) and its `type`."""
    selection: dict[str, Any] = {}
    node_id = source.get("id")
    if isinstance(node_id, str) and not node_id.startswith("_:"):
        selection["id"] = node_id
    if source.get("type") not in (None, ""):
        selection["type"] = copy.deepcopy(source["type"])
    return selection


def _select_path(pointer: str, document: dict[str, Any], selection: dict[str, Any]) -> None:
    tokens = parse_pointer(pointer)
    value: Any = document
    selected_parent: Any = selection
    selected: Any = selection
    key: str | int = ""
    for token in tokens:
        selected_parent = selected
        key, value = _child(value, token, pointer)
        selected = _selected_child(selected_parent, key)
        if selected is None:
            if isinstance(value, list):
                selected = _Sparse()
            elif isinstance(value, dict):
                selected = _initial_selection(value)
            selected_parent[key] = selected
    if isinstance(value, dict):
        selected_parent[key] = {**selected, **copy.deepcopy(value)}
    else:
        selected_parent[key] = copy.deepcopy(value)


def _child(value: Any, token: str, pointer: str) -> tuple[str | int, Any]:
    """Return the key and the value `token` names in `value`; raises PointerError if none."""
    if isinstance(value, dict) and token in value:
        return token, value[token]
    if isinstance(value, list) and _ARRAY_INDEX.match(token) and int(token) < len(value):
        return int(token), value[int(token)]
    raise PointerError(f"the JSON pointer {pointer!r} does not match the document")


def _selected_child(selected_parent: Any, key: str | int) -> Any:
    """What is selected under `key` so far (an array selected whole is a plain list)."""
    if isinstance(selected_parent, dict):
        return selected_parent.get(key)
    return selected_parent[key] if isinstance(key, int) else None


def _densified(value: Any) -> Any:
    """Turn every array being selected into a plain list, in source order."""
    if isinstance(value, _Sparse):
        return [_densified(item) for _index, item in sorted(value.items())]
    if isinstance(value, dict):
        return {key: _densified(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_densified(item) for item in value]
    return value
