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
    dataset = jsonld.JsonLdProcessor().to_rdf(expanded, options)
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


def _graph_term(name: str) -> Term:
    return Term(BLANK, name[2:]) if name.startswith("_:") else Term(IRI, name)
