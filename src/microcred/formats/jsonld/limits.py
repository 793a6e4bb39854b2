"""Bounds on a JSON-LD document before any JSON-LD work is spent on it.

pyld's expansion costs about a millisecond per typed object (each applies its type's scoped
context), and turning the expanded form into RDF compares every new value of a property with
each value it already holds (`JsonLdProcessor.has_value` under `add_value(...,
allowDuplicate=False)` while building the node map): quadratic in the values of one property.
A 600 KB credential of thousands of blank profiles under one `parentOrg` kept a verifier busy
for a minute. `check_bounds` walks the document once, without recursion, and refuses it before
expansion when it has more objects, more values in one array, more pairs of values to compare
or more nesting than any credential we know needs (the largest Europass sample has 311 objects
and no array longer than 3).
"""

from __future__ import annotations

from typing import Any

from microcred.formats.jsonld.errors import DocumentTooComplex

MAX_DEPTH = 64
"""Levels of nested objects and arrays."""
MAX_NODES = 1_000
"""JSON objects in one document (nodes, values and contexts alike)."""
MAX_VALUES_PER_PROPERTY = 256
"""Values in one array."""
MAX_VALUE_PAIRS = 200_000
"""Pairs of values within arrays, added over all arrays: what building the node map compares."""
MAX_QUADS = 10_000
"""RDF quads one document may become (checked after JSON-LD, before canonicalisation)."""


def check_bounds(document: Any) -> None:
    """Raise `DocumentTooComplex` unless `document` is within every bound above."""
    nodes = 0
    pairs = 0
    if not isinstance(document, dict | list):
        return
    stack: list[tuple[Any, int, str]] = [(document, 0, "$")]
    while stack:
        value, depth, path = stack.pop()
        if value and depth >= MAX_DEPTH:  # its values, leaves too, would be one deeper
            raise DocumentTooComplex(path, f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            nodes += 1
            if nodes > MAX_NODES:
                raise DocumentTooComplex(path, f"more than {MAX_NODES:,} objects in one document")
            stack.extend(
                (item, depth + 1, f"{path}.{key}")
                for key, item in value.items()
                if isinstance(item, dict | list)
            )
            continue
        if len(value) > MAX_VALUES_PER_PROPERTY:
            raise DocumentTooComplex(
                path, f"{len(value):,} values; the limit is {MAX_VALUES_PER_PROPERTY:,}"
            )
        pairs += len(value) * (len(value) - 1) // 2
        if pairs > MAX_VALUE_PAIRS:
            raise DocumentTooComplex(
                path, f"more than {MAX_VALUE_PAIRS:,} pairs of values in arrays to compare"
            )
        stack.extend(
            (item, depth + 1, f"{path}[{index}]")
            for index, item in enumerate(value)
            if isinstance(item, dict | list)
        )


def check_quad_count(count: int) -> None:
    """Raise `DocumentTooComplex` when a document became more than `MAX_QUADS` quads."""
    if count > MAX_QUADS:
        raise DocumentTooComplex("$", f"{count:,} RDF statements; the limit is {MAX_QUADS:,}")
