"""JSON-LD document → RDF quads, offline and in safe mode, with `rdfDirection: i18n-datatype`.

A value with `@direction` becomes a literal typed `https://www.w3.org/ns/i18n#{language}_{direction}`
(the form jsonld.js and the Data Integrity test suites use). pyld does the JSON-LD work;
the quads are handed back as `Quad` tuples so that canonicalisation and serialisation are ours.
"""

from __future__ import annotations

from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]

from microcred import deadline
from microcred.formats.jsonld.expansion import expand_safely, expansion_options
from microcred.formats.jsonld.limits import check_quad_count
from microcred.formats.jsonld.rdf_terms import BLANK, IRI, LITERAL, Quad, Term


def _term(node: dict[str, Any]) -> Term:
    kind = node["type"]
    if kind == "IRI":
        return Term(IRI, node["value"])
    if kind == "blank node":
        return Term(BLANK, node["value"][2:])
    return Term(LITERAL, node["value"], node["datatype"], node.get("language", ""))


def to_quads(document: dict[str, Any]) -> list[Quad]:
    """Return the RDF quads of a JSON-LD document; refuses unsafe ones (see `expand_safely`)
    and ones of more than `limits.MAX_QUADS` quads (`DocumentTooComplex`)."""
    expanded = expand_safely(document)
    options = expansion_options()
    options["rdfDirection"] = "i18n-datatype"
    deadline.check()
    dataset = _dataset(expanded, options)
    check_quad_count(sum(len(triples) for triples in dataset.values()))
    deadline.check()
    quads = []
    for graph_name, triples in dataset.items():
        graph = None if graph_name == "@default" else _graph_term(graph_name)
        for triple in triples:
            quads.append(
                Quad(
                    _term(triple["subject"]),
                    _term(triple["predicate"]),
                    _term(triple["object"]),
                    graph,
                )
            )
    return quads


def _dataset(expanded: list[dict[str, Any]], options: dict[str, Any]) -> dict[str, Any]:
    """pyld's toRDF from the expanded form safe mode already made.

    `JsonLdProcessor.to_rdf` expands its input again (a third of the cold path's cost) before
    building the node map; expansion of expanded JSON-LD changes nothing, so the node map is
    built from the one expansion. The steps are pyld's own, in pyld's order (its `to_rdf`).
    """
    processor = jsonld.JsonLdProcessor()
    options = {**options, "produceGeneralizedRdf": False, "processingMode": "json-ld-1.1"}
    issuer = jsonld.IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    return {
        name: processor._graph_to_rdf(graph, issuer, options)
        for name, graph in sorted(node_map.items())
        if name == "@default" or jsonld._is_absolute_iri(name)
    }


def _graph_term(name: str) -> Term:
    return Term(BLANK, name[2:]) if name.startswith("_:") else Term(IRI, name)
