"""The shape cache stays bounded and cheap when every document has a shape of its own."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.crypto.compiled import SHAPES, ShapeCache, check_safe, reference_nquads
from microcred.crypto.jcs import _write, canonicalize
from microcred.formats.jsonld import UnsafeDocument
from microcred.formats.jsonld.rdf import to_quads
from support.credentials import credentials

ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
CONTEXT = ["https://www.w3.org/ns/credentials/v2"]


def distinct_shape(number: int) -> dict[str, Any]:
    """A small credential whose array length makes its shape unlike any other number's."""
    return {
        "@context": CONTEXT,
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "name": [f"credential {number}"] * (number + 1),
        "credentialSubject": {"name": f"learner {number}"},
    }


def test_cache_holds_at_most_max_shapes() -> None:
    cache = ShapeCache(to_quads, reference_nquads, max_shapes=3, compile_after=1)
    for number in range(8):
        document = distinct_shape(number)
        assert cache.canonical_nquads(document) == reference_nquads(document)
    assert len(cache) == 3


def test_cache_holds_at_most_max_bytes() -> None:
    cache = ShapeCache(to_quads, reference_nquads, max_bytes=4_000, compile_after=1)
    for number in range(6):
        cache.canonical_nquads(distinct_shape(number))
    assert 0 < cache.size_bytes <= 4_000


def test_never_repeating_shapes_are_never_compiled() -> None:
    cache = ShapeCache(to_quads, reference_nquads)
    for number in range(20):
        cache.canonical_nquads(distinct_shape(number))
    assert cache.compiles == 0


def test_compiling_stops_when_credit_runs_out() -> None:
    cache = ShapeCache(to_quads, reference_nquads, compile_after=1)
    for number in range(40):
        cache.canonical_nquads(distinct_shape(number))
    assert cache.compiles == 32


def test_check_safe_passes_a_served_shape_and_refuses_a_relative_id() -> None:
    first, second, third = credentials(3, ISSUER)
    SHAPES.canonical_nquads(first)
    SHAPES.canonical_nquads(second)
    assert SHAPES.serves(third)
    check_safe(third)
    third["credentialSubject"]["achievement"]["id"] = "data-literacy"
    with pytest.raises(UnsafeDocument, match="data-literacy"):
        check_safe(third)


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [True, None, 5.0, 0.5, "é\u2028\u0001"]},
        {"\U0001f600": 1, "\ue000": 2},
        {"n": 1e21, "m": 1e-7, "big": 2**60},
        {"tuple": (1, 2)},
    ],
)
def test_jcs_fast_path_gives_the_general_writers_bytes(value: dict[str, Any]) -> None:
    parts: list[str] = []
    try:
        _write(value, parts)
    except ValueError:
        with pytest.raises(ValueError):
            canonicalize(value)
        return
    assert canonicalize(value) == "".join(parts).encode("utf-8")


def test_remembered_first_degree_hashes_stay_within_the_plans_budget() -> None:
    """Long, ever-changing values (a verifier cannot choose what it gets) do not grow the
    plan's memory of first-degree hashes beyond what the cache counts for the plan."""
    cache = ShapeCache(to_quads, reference_nquads, compile_after=1)
    documents = credentials(40, ISSUER)
    for number, document in enumerate(documents):
        document["credentialSubject"]["identifier"][0]["identityHash"] = f"{number}" * 3000
        assert cache.canonical_nquads(document) == reference_nquads(document)
    [entry] = cache._entries.values()
    [plan] = entry.plans
    assert plan.lines is not None
    assert 0 < plan.lines.remembered_chars <= plan.lines.remember_chars < plan.size


def test_counters_count_what_a_plan_answered_not_what_it_was_asked() -> None:
    """A plan that hands its document back to the reference path is a fallback, not a hit,
    and earns no compile credit; a document no plan serves is a miss."""
    cache = ShapeCache(to_quads, reference_nquads, compile_after=1)
    first, second, third = credentials(3, ISSUER)
    cache.canonical_nquads(first)  # no plan yet: reference path, then compiled
    assert (cache.hits, cache.fallbacks, cache.misses, cache.compiles) == (0, 0, 1, 1)
    assert cache.canonical_nquads(second) == reference_nquads(second)
    assert (cache.hits, cache.fallbacks, cache.misses) == (1, 0, 1)

    (entry,) = cache._entries.values()
    (plan,) = entry.plans
    credit = cache._credit
    plan.canonical_nquads = lambda values: None  # type: ignore[method-assign]
    assert cache.canonical_nquads(third) == reference_nquads(third)
    assert (cache.hits, cache.fallbacks, cache.misses) == (1, 1, 1)
    assert cache._credit == credit
