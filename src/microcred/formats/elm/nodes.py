"""Small ELM node builders the renderer uses everywhere: local ids, notes, web resources."""

from __future__ import annotations

from collections import Counter
from typing import Any


class LocalIds:
    """Hands out document-local node ids (``urn:epass:note:1``), as the Commission's sample does.

    They only link nodes inside one credential; the importer never mistakes them for
    identifiers of an organisation or a programme.
    """

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def new(self, kind: str) -> str:
        self._counts[kind] += 1
        return f"urn:epass:{kind}:{self._counts[kind]}"


def note(ids: LocalIds, text: dict[str, str]) -> dict[str, Any]:
    """Return a Note node holding a language map."""
    return {"id": ids.new("note"), "type": "Note", "noteLiteral": dict(text)}


def web_resource(ids: LocalIds, url: str) -> dict[str, Any]:
    """Return a WebResource node for an address."""
    return {"id": ids.new("webResource"), "type": "WebResource", "contentURL": url}


def without_empty(node: dict[str, Any]) -> dict[str, Any]:
    """Return the node without keys whose value is None, empty or an empty collection."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}
