"""Small RDF datasets that make RDFC-1.0's hash-n-degree-quads explode ("poison" datasets).

Each one's blank nodes tie on their first-degree hashes, so that labelling them needs
hash-n-degree-quads, whose permutations grow factorially with the size of a tie.
"""

from __future__ import annotations

from microcred.formats.jsonld.rdf_terms import Quad, blank, iri

VOCAB = "http://example.org/vocab#"


def hub_with_chains(spokes: int, copies: int = 2) -> list[Quad]:
    """`copies` alike hubs, each linked to `spokes` two-node chains by their heads and tails."""
    quads = []
    for copy in range(copies):
        hub = blank(f"h{copy}")
        for spoke in range(spokes):
            head, tail = blank(f"a{copy}_{spoke}"), blank(f"b{copy}_{spoke}")
            quads.append(Quad(hub, iri(VOCAB + "p"), head))
            quads.append(Quad(head, iri(VOCAB + "q"), tail))
            quads.append(Quad(hub, iri(VOCAB + "r"), tail))
    return quads


def repeated_in_blank_graphs(repeats: int) -> list[Quad]:
    """Two alike blank graphs, each describing one blank node `repeats` times.

    Each quad lists the node once more among its graph's related nodes: once that node is
    issued, hash-n-degree-quads tries `repeats`! permutations that never recurse.
    """
    return [
        Quad(blank(f"y{copy}"), iri(VOCAB + "p"), iri(f"urn:example:{n}"), blank(f"g{copy}"))
        for copy in range(2)
        for n in range(repeats)
    ]


def clique(size: int) -> list[Quad]:
    """`size` blank nodes, each linked to every other."""
    nodes = [blank(f"n{n}") for n in range(size)]
    return [Quad(s, iri(VOCAB + "p"), o) for s in nodes for o in nodes if s is not o]


def chains(length: int) -> list[Quad]:
    """Two alike chains of `length` blank nodes."""
    return [
        Quad(blank(f"c{copy}_{n}"), iri(VOCAB + "next"), blank(f"c{copy}_{n + 1}"))
        for copy in range(2)
        for n in range(length - 1)
    ]
