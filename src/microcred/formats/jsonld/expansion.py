"""Safe-mode JSON-LD expansion: expand with pinned contexts, refuse anything that would be dropped.

pyld, like most processors, silently drops an undefined term, a relative `@id` (`"learner-42"`)
or a relative type when it turns a document into RDF. A dropped value is not covered by a
Data Integrity signature, so it could be changed without breaking it. jsonld.js calls its
refusal of such documents "safe mode"; this module does the same on top of pyld.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from pyld import jsonld  # type: ignore[import-untyped]
from pyld.context_resolver import ContextResolver  # type: ignore[import-untyped]
from pyld.jsonld import JsonLdError, JsonLdProcessor

from microcred import deadline
from microcred.formats.jsonld.contexts import UnknownContext, context_generation, document_loader
from microcred.formats.jsonld.errors import UnsafeDocument
from microcred.formats.jsonld.limits import MAX_DEPTH, check_bounds

__all__ = ["MAX_DEPTH", "UnsafeDocument", "expand_safely", "expansion_options"]

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
_BLANK_NODE = re.compile(r"^_:\S+$")

# Resolved contexts are kept here across calls: parsing the VC and OB contexts is most of
# the cost of expanding a small credential. Keyed by URL, so started afresh when a URL may
# resolve differently (the operator's contexts folder changed).
_resolved_contexts = jsonld.LRUCache(maxsize=200)
_resolved_generation = context_generation()

# The last documents each thread expanded, with their expansions: verifying a credential of
# a shape not yet compiled expands it for the safe-mode check and again for RDF
# canonicalisation, with its proof configuration in between. Keyed by the exact JSON text
# (key order included) and the contexts' generation; callers must not change what they are
# given (none does: the node map and skolemisation copy).
_recent = threading.local()
_RECENT_PER_THREAD = 3


def expansion_options() -> dict[str, Any]:
    """Return pyld options that resolve contexts offline and share the resolved-context cache."""
    global _resolved_contexts, _resolved_generation
    if _resolved_generation != context_generation():
        _resolved_contexts = jsonld.LRUCache(maxsize=200)
        _resolved_generation = context_generation()
    return {
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(_resolved_contexts, document_loader),
        # No base: a relative IRI must stay relative so that safe mode can refuse it
        # (pyld would otherwise resolve it against http://example.org/base/).
        "base": None,
    }


def expand_safely(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the expanded form of `document`, or raise `UnsafeDocument` / `UnknownContext`.

    A document beyond the bounds of `limits` raises `DocumentTooComplex` before any JSON-LD
    work, and one whose work in progress is past its deadline `DeadlineExceeded`.
    """
    if not isinstance(document, dict):
        raise UnsafeDocument(
            "$", f"a JSON-LD document must be a JSON object, got {type(document).__name__}"
        )
    check_bounds(document)
    deadline.check()
    key = _memo_key(document)
    recent: list[tuple[tuple[int, bytes], list[dict[str, Any]]]] = getattr(_recent, "entries", [])
    for remembered_key, remembered in recent:
        if remembered_key == key:
            return remembered
    expanded = _expand_checked(document)
    if key is not None:
        _recent.entries = [(key, expanded), *recent[: _RECENT_PER_THREAD - 1]]
    return expanded


def _memo_key(document: dict[str, Any]) -> tuple[int, bytes] | None:
    try:
        return context_generation(), orjson.dumps(document)
    except (orjson.JSONEncodeError, TypeError):  # e.g. integers beyond 64 bits: not remembered
        return None


def _expand_checked(document: dict[str, Any]) -> list[dict[str, Any]]:
    dropped: list[str | None] = []
    processor = JsonLdProcessor(on_property_dropped=dropped.append)
    try:
        expanded: list[dict[str, Any]] = processor.expand(document, expansion_options())
    except JsonLdError as error:
        raise _explain(error) from error
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise _processor_failure(document, error) from error
    if dropped:
        raise _dropped_term(document, dropped[0])
    for iri, kind in _iris(expanded):
        if not _ABSOLUTE_IRI.match(iri) and not (kind == "@id" and _BLANK_NODE.match(iri)):
            path = _find_string(document, iri) or "$"
            raise UnsafeDocument(
                path, f"{kind} value {iri!r} is not an absolute IRI and would be dropped"
            )
    return expanded


def _explain(error: JsonLdError) -> Exception:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, UnknownContext):
            return cause
        cause = cause.__cause__
    code = getattr(error, "code", None) or getattr(error, "type", "jsonld error")
    message = error.args[0] if error.args else str(error)
    return UnsafeDocument("$", f"not valid JSON-LD ({code}): {message}")


def _processor_failure(document: dict[str, Any], error: Exception) -> UnsafeDocument:
    """Explain a crash of the JSON-LD processor on a context it mishandles (pyld deletes an
    `@vocab` that was never set when a context says `"@vocab": null`)."""
    key = error.args[0] if isinstance(error, KeyError) and error.args else None
    path = (_find_key(document, key) if isinstance(key, str) else None) or "$.@context"
    return UnsafeDocument(
        path, f"the JSON-LD processor cannot read this ({type(error).__name__}: {error})"
    )


def _dropped_term(document: dict[str, Any], term: str | None) -> UnsafeDocument:
    if term is None:
        return UnsafeDocument("$", "a property mapped to null by the context would be dropped")
    path = _find_key(document, term) or "$"
    return UnsafeDocument(
        path, f"term {term!r} is not defined by the document's @context and would be dropped"
    )


def _iris(expanded: Any) -> Iterator[tuple[str, str]]:
    """Yield every IRI in expanded JSON-LD that must be absolute, with the keyword it came from."""
    stack: list[Any] = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        if "@value" in item:
            datatype = item.get("@type")
            if isinstance(datatype, str) and datatype != "@json":
                yield datatype, "@type"
            continue
        for key, value in item.items():
            if key == "@id" and isinstance(value, str):
                yield value, "@id"
            elif key == "@type" and isinstance(value, list):
                yield from ((t, "@type") for t in value if isinstance(t, str))
            elif key in ("@list", "@graph", "@included", "@set") or not key.startswith("@"):
                stack.append(value)
            elif key == "@reverse" and isinstance(value, dict):
                stack.extend(value.values())


def _find(node: Any, matches: Callable[[str, Any], bool], path: str = "$") -> str | None:
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}"
            if matches(key, value):
                return child
            found = _find(value, matches, child)
            if found:
                return found
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found = _find(value, matches, f"{path}[{index}]")
            if found:
                return found
    return None


def _find_key(document: Any, key: str) -> str | None:
    return _find(document, lambda k, _v: k == key)


def _find_string(document: Any, text: str) -> str | None:
    return _find(
        document,
        lambda k, v: k != "@context" and (v == text or (isinstance(v, list) and text in v)),
    )
