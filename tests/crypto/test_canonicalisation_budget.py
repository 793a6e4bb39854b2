"""RDFC-1.0 "poison" datasets are refused after a bounded amount of counted work, on the reference
path and the compiled one, while ordinary datasets with tied blank nodes canonicalise as before.

The tests assert the refusal, its reason and the work counter; how long the work takes is
measured by `scripts/bench_poison.py`, never here.
"""

from __future__ import annotations

from typing import Any

import pytest
from poison_datasets import chains, clique, hub_with_chains, repeated_in_blank_graphs

from conftest import vector_json, vector_text
from microcred import deadline
from microcred.crypto import rdfc
from microcred.crypto.compiled import ShapeCache, reference_nquads
from microcred.crypto.rdfc import (
    MAX_CANONICALISATION_WORK,
    MAX_HASH_N_DEGREE_DEPTH,
    CanonicalizationTooComplex,
    WorkCounter,
    canonicalize,
)
from microcred.deadline import DeadlineExceeded
from microcred.formats.jsonld.rdf import to_quads
from microcred.formats.jsonld.rdf_terms import Quad, blank, iri, literal

# The largest single step: one hash-n-degree call on a clique node of 60 (1 + 118 quads).
LARGEST_STEP = 200


def _refusal(quads: list[Quad]) -> tuple[CanonicalizationTooComplex, WorkCounter]:
    work = WorkCounter()
    with pytest.raises(CanonicalizationTooComplex) as refused:
        canonicalize(quads, work=work)
    return refused.value, work


@pytest.mark.parametrize(
    "quads",
    [
        pytest.param(hub_with_chains(6), id="two-hubs-with-chains"),
        pytest.param(repeated_in_blank_graphs(7), id="nodes-repeated-in-blank-graphs"),
        pytest.param(clique(30), id="clique-30"),
        pytest.param(clique(60), id="clique-60"),
    ],
)
def test_poison_dataset_is_refused_once_the_work_budget_is_spent(quads: list[Quad]) -> None:
    error, work = _refusal(quads)
    assert str(error) == (
        f"blank-node structure too complex (work budget {MAX_CANONICALISATION_WORK:,} exceeded)"
    )
    assert error.work == work.spent
    assert MAX_CANONICALISATION_WORK < work.spent <= MAX_CANONICALISATION_WORK + LARGEST_STEP


def test_permutations_that_never_recurse_are_counted() -> None:
    """The dataset the old step counter (hash-n-degree calls only) let run for minutes: most of
    its permutations are of nodes already issued, which never call hash-n-degree again."""
    quads = repeated_in_blank_graphs(7)
    calls = 0
    original = rdfc._Canonicalizer.hash_n_degree

    def counting(self: Any, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rdfc._Canonicalizer, "hash_n_degree", counting)
        error, _work = _refusal(quads)
    assert error.work > MAX_CANONICALISATION_WORK
    # Far fewer calls than steps: the permutations were what the budget caught.
    assert calls * 20 < MAX_CANONICALISATION_WORK


def test_long_tied_chains_are_refused_before_python_runs_out_of_stack() -> None:
    error, work = _refusal(chains(1000))
    assert str(error) == (
        "blank-node structure too complex "
        f"(blank-node paths nested deeper than {MAX_HASH_N_DEGREE_DEPTH})"
    )
    assert error.work == work.spent <= MAX_CANONICALISATION_WORK


def test_a_smaller_budget_refuses_what_the_default_accepts() -> None:
    quads = hub_with_chains(3)
    work = WorkCounter()
    canonicalize(quads, work=work)
    assert 0 < work.spent <= MAX_CANONICALISATION_WORK
    with pytest.raises(CanonicalizationTooComplex):
        canonicalize(quads, work=WorkCounter(limit=work.spent - 1))


def test_the_deadline_of_the_work_in_progress_stops_canonicalisation() -> None:
    with deadline.within(0), pytest.raises(DeadlineExceeded):
        canonicalize(clique(30))
    # Without a deadline the same dataset is refused by the work budget instead.
    with pytest.raises(CanonicalizationTooComplex):
        canonicalize(clique(30))


def test_ordinary_tied_blank_nodes_canonicalise_as_before_within_a_small_budget() -> None:
    """The rdf-canon spec's examples that need hash-n-degree: same output, little work."""
    vocab = "http://example.org/vocab#"
    a, b, c, d = (blank(name) for name in "wxyz")
    double_circle = [
        Quad(s, iri(vocab + "next"), o)
        for s, o in [(a, b), (b, a), (b, c), (c, b), (c, d), (d, c), (d, a), (a, d)]
    ]
    work = WorkCounter()
    result = canonicalize(double_circle, work=work)
    assert result.count("\n") == 8
    assert {f"_:c14n{n}" for n in range(4)} <= set(result.split())
    assert 0 < work.spent < MAX_CANONICALISATION_WORK // 20
    duplicated = [Quad(blank("p"), iri(vocab + "v"), literal("x")) for _ in range(2)]
    duplicated += [Quad(blank("q"), iri(vocab + "v"), literal("x"))]
    assert canonicalize(duplicated) == (
        '_:c14n0 <http://example.org/vocab#v> "x" .\n_:c14n1 <http://example.org/vocab#v> "x" .\n'
    )


def test_w3c_vector_canonicalises_identically_and_cheaply() -> None:
    signed = vector_json("vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json")
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    work = WorkCounter()
    assert canonicalize(to_quads(unsigned), work=work) == vector_text(
        "vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt"
    )
    assert work.spent < 100


def _blank_clique_document(names: list[str]) -> dict[str, Any]:
    """A JSON-LD document whose blank nodes all know each other, named `names`."""
    size = len(names)
    return {
        "@context": {
            "knows": {"@id": "https://example.org/vocab#knows", "@type": "@id"},
            "name": "https://example.org/vocab#name",
        },
        "@graph": [
            {
                "@id": f"_:n{node}",
                "name": names[node],
                "knows": [f"_:n{other}" for other in range(size) if other != node],
            }
            for node in range(size)
        ],
    }


def test_compiled_path_refuses_a_poison_document_of_a_compiled_shape() -> None:
    """Named apart, the nodes need no hash-n-degree and a plan compiles; all named alike, the
    same shape is a 30-clique of tied nodes, which the plan refuses as the reference does."""
    cache = ShapeCache(to_quads, reference_nquads, compile_after=1)
    for first in range(2):
        benign = _blank_clique_document([f"node {first}-{n}" for n in range(30)])
        assert cache.canonical_nquads(benign) == reference_nquads(benign)
    assert cache.hits == 1
    poison = _blank_clique_document(["same"] * 30)
    with pytest.raises(CanonicalizationTooComplex) as by_reference:
        reference_nquads(poison)
    with pytest.raises(CanonicalizationTooComplex) as by_plan:
        cache.canonical_nquads(poison)
    # The plan refused it itself: nothing served, nothing handed back to the reference path.
    assert (cache.hits, cache.fallbacks) == (1, 0)
    assert str(by_plan.value) == str(by_reference.value)
