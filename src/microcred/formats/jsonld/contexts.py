"""The pinned JSON-LD contexts: URL → parsed document, read once from package data."""

from __future__ import annotations

import json
import threading
from importlib import resources
from pathlib import Path
from typing import Any

_INDEX_PACKAGE = "microcred.data"
_INDEX_DIR = "contexts"

_lock = threading.Lock()
_files: dict[str, str] | None = None
_parsed: dict[str, dict[str, Any]] = {}
_registered: dict[str, dict[str, Any]] = {}


class UnknownContext(LookupError):
    """A document names a JSON-LD context that is not pinned in this installation."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"unknown JSON-LD context {url!r}: only pinned contexts are used "
            "(see microcred/data/contexts/index.json, or register the context at start-up)"
        )
        self.url = url


def _context_dir() -> Any:
    return resources.files(_INDEX_PACKAGE).joinpath(_INDEX_DIR)


def _index() -> dict[str, str]:
    global _files
    if _files is None:
        text = _context_dir().joinpath("index.json").read_text(encoding="utf-8")
        _files = dict(json.loads(text))
    return _files


def known_context_urls() -> list[str]:
    """Return every context URL that resolves offline, pinned and registered, sorted."""
    return sorted(set(_index()) | set(_registered))


def register_context(url: str, document: dict[str, Any] | str | Path) -> None:
    """Make an extension context resolvable offline (a dict, or the path of a JSON file).

    Registering a URL twice with different content is refused: documents already processed
    would otherwise have been read with the old definition.
    """
    if isinstance(document, str | Path):
        document = json.loads(Path(document).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or "@context" not in document:
        raise ValueError(f"the context for {url!r} must be a JSON object with an '@context' key")
    with _lock:
        existing = _registered.get(url) or _parsed.get(url)
        if existing is None and url in _index():
            existing = _read_pinned(url)
        if existing is not None and existing != document:
            raise ValueError(f"context {url!r} is already defined with different content")
        _registered[url] = document


def _read_pinned(url: str) -> dict[str, Any]:
    text = _context_dir().joinpath(_index()[url]).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def load_context(url: str) -> dict[str, Any]:
    """Return the parsed context document for `url`, or raise `UnknownContext`."""
    document = _registered.get(url) or _parsed.get(url)
    if document is not None:
        return document
    if url not in _index():
        raise UnknownContext(url)
    with _lock:
        document = _parsed.get(url)
        if document is None:
            document = _read_pinned(url)
            _parsed[url] = document
    return document


def pinned_context_bytes(url: str) -> bytes | None:
    """Return the bytes of the pinned file for `url` as shipped, or None if none is pinned."""
    name = _index().get(url)
    return _context_dir().joinpath(name).read_bytes() if name else None


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return a pinned context in the remote-document shape pyld expects; never downloads."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
    }
