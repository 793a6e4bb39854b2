"""The pinned JSON-LD contexts: URL → parsed document, read once from package data, from
contexts registered at start-up, or from the operator's contexts folder (`use_operator_contexts`).

The package's own pins win over the others for the same URL. Switching the operator's folder
bumps `context_generation`, so that caches built on resolved contexts start afresh.
"""

from __future__ import annotations

import json
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from microcred.formats.jsonld.operator_contexts import (
    OperatorContextError,
    PinnedFile,
    read_context,
    read_index,
)

_INDEX_PACKAGE = "microcred.data"
_INDEX_DIR = "contexts"

_lock = threading.Lock()
_files: dict[str, str] | None = None
_parsed: dict[str, dict[str, Any]] = {}
_registered: dict[str, dict[str, Any]] = {}
_operator_folder: Path | None = None
_operator_index: dict[str, PinnedFile] | None = None
_operator_parsed: dict[str, dict[str, Any]] = {}
_generation = 0


class UnknownContext(LookupError):
    """A document names a JSON-LD context that is not pinned in this installation."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"unknown JSON-LD context {url!r}: only pinned contexts are used "
            "(see microcred/data/contexts/index.json; an operator pins more with "
            "'microcred contexts add FILE --url URL' and MICROCRED_CONTEXTS_DIR)"
        )
        self.url = url


class ContextRefused(UnknownContext):
    """A context the operator pinned cannot be used (its file changed, or the index is broken)."""

    def __init__(self, url: str, reason: str) -> None:
        LookupError.__init__(self, reason)
        self.url = url


def use_operator_contexts(folder: Path | str | None) -> None:
    """Serve the contexts pinned in ``folder`` (its ``index.json``) beside the package's;
    None or "" for none. A change of folder makes every cache of resolved contexts start afresh.
    """
    global _operator_folder, _operator_index, _generation
    chosen = Path(folder) if folder else None
    with _lock:
        if chosen == _operator_folder:
            return
        _operator_folder, _operator_index = chosen, None
        _operator_parsed.clear()
        _generation += 1


def context_generation() -> int:
    """Return a number that changes whenever a URL may resolve differently than before."""
    return _generation


def is_package_pinned(url: str) -> bool:
    """True when the package itself pins ``url`` (its content always wins)."""
    return url in _index()


def _operator_pins() -> dict[str, PinnedFile]:
    global _operator_index
    if _operator_folder is None:
        return {}
    if _operator_index is None:
        _operator_index = read_index(_operator_folder)
    return _operator_index


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
    try:
        operator = set(_operator_pins())
    except OperatorContextError:
        operator = set()
    return sorted(set(_index()) | set(_registered) | operator)


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


def forget_context(url: str) -> None:
    """Withdraw a context registered with `register_context` (its URL is unknown again)."""
    global _generation
    with _lock:
        if _registered.pop(url, None) is not None:
            _generation += 1


def _read_pinned(url: str) -> dict[str, Any]:
    text = _context_dir().joinpath(_index()[url]).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def load_context(url: str) -> dict[str, Any]:
    """Return the parsed context document for `url`, or raise `UnknownContext`."""
    document = _parsed.get(url) or _registered.get(url) or _operator_parsed.get(url)
    if document is not None:
        return document
    if url not in _index():
        return _load_operator_context(url)
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
    """Return a pinned context in the remote-document shape pyld expects; never downloads.

    `tag: static` tells pyld's context resolver that the document never changes, so the
    resolved context goes into the shared cache (`expansion_options`); untagged, pyld resolves
    it again for every document, canonicalising each inline context to key its per-call cache
    (most of a first-seen shape's cost). The cache is started afresh when a URL may resolve
    differently (`context_generation`).
    """
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
        "tag": "static",
    }


def _load_operator_context(url: str) -> dict[str, Any]:
    with _lock:
        try:
            pinned = _operator_pins().get(url)
            if pinned is None or _operator_folder is None:
                raise UnknownContext(url)
            document = read_context(_operator_folder, pinned)
        except OperatorContextError as error:
            raise ContextRefused(url, str(error)) from None
        _operator_parsed[url] = document
    return document
