"""Fast canonicalisation: JSON-LD work done once per document shape, byte-identical output.

Credentials rendered from one specification share their structure and contexts; only values
change. The first documents of a shape take the reference path (pyld expansion and toRDF, then
our RDFC-1.0); after that a compiled plan writes the quads of each new document directly from
its values and canonicalises them. See `shape` (what a shape is), `plan` (how it compiles),
`first_degree` (the cheap RDFC case) and `cache` (bounds and abuse resistance).

`canonical_nquads(document)` is the one entry point the cryptosuites use; `reference_nquads`
is the plain path it must always agree with; `check_safe` is safe-mode expansion that skips
the work for documents a plan compiled from a safe document already serves.
"""

from __future__ import annotations

from typing import Any

from microcred.crypto.compiled.cache import ShapeCache
from microcred.crypto.rdfc import canonicalize
from microcred.formats.jsonld import context_generation
from microcred.formats.jsonld.expansion import expand_safely
from microcred.formats.jsonld.rdf import to_quads


def reference_nquads(document: Any) -> str:
    """Return the canonical N-Quads through the full JSON-LD path (safe mode, pyld, RDFC-1.0)."""
    return canonicalize(to_quads(document))


SHAPES = ShapeCache(to_quads, reference_nquads, generation=context_generation)


def canonical_nquads(document: Any) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document, using `SHAPES`."""
    return SHAPES.canonical_nquads(document)


def check_safe(document: Any) -> None:
    """Raise `UnsafeDocument` / `UnknownContext` as `expand_safely` does; cheap for known shapes."""
    if not SHAPES.serves(document):
        expand_safely(document)


__all__ = ["SHAPES", "ShapeCache", "canonical_nquads", "check_safe", "reference_nquads"]
