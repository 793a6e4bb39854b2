"""`to_quads` builds RDF from safe mode's one expansion; pyld's own `to_rdf` expands again.

Both must give the same dataset for every document we can name: the W3C vectors (plain,
proof sets, selective disclosure), credentials of many values, and JSON-LD features that
take other branches of the node map (named graphs, lists, reverse properties, JSON literals,
base direction).
"""

from __future__ import annotations

from typing import Any

import pytest
from pyld import jsonld  # type: ignore[import-untyped]

from conftest import VECTORS, vector_json
from microcred.formats.jsonld.expansion import expand_safely, expansion_options
from microcred.formats.jsonld.rdf import _dataset
from support.credentials import credentials

ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
VOCAB = "https://example.org/vocab#"

FEATURES: list[dict[str, Any]] = [
    {
        "@context": {"@vocab": VOCAB, "items": {"@container": "@list"}},
        "@id": "https://example.org/a",
        "items": ["one", {"@id": "https://example.org/b"}, 3, True, 2.5],
    },
    {
        "@context": {"@vocab": VOCAB, "parentOf": {"@reverse": VOCAB + "childOf"}},
        "@id": "https://example.org/p",
        "parentOf": [{"@id": "https://example.org/c1"}, {"name": "unnamed child"}],
    },
    {
        "@context": {"@vocab": VOCAB, "data": {"@type": "@json"}},
        "data": {"z": [1, 2, {"a": None}], "a": "ü"},
    },
    {
        "@context": {"@vocab": VOCAB, "@language": "de", "@direction": "rtl"},
        "title": ["Bienenhaltung", {"@value": "Beekeeping", "@language": "en"}],
    },
    {
        "@context": {"@vocab": VOCAB},
        "@id": "https://example.org/graph-holder",
        "claims": {"@graph": [{"@id": "_:x", "name": "in a graph"}, {"name": "blank"}]},
        "@graph": [{"@id": "https://example.org/g2", "@graph": {"name": "nested"}}],
    },
]


def _pyld_dataset(document: Any) -> dict[str, Any]:
    options = expansion_options()
    options["rdfDirection"] = "i18n-datatype"
    return jsonld.JsonLdProcessor().to_rdf(document, options)


def _ours(document: Any) -> dict[str, Any]:
    options = expansion_options()
    options["rdfDirection"] = "i18n-datatype"
    return _dataset(expand_safely(document), options)


def _vector_documents() -> list[str]:
    """Every vector file holding a JSON-LD document (key pairs and the like are not)."""
    names = sorted(str(path.relative_to(VECTORS)) for path in VECTORS.rglob("*.json"))
    return [name for name in names if "@context" in (vector_json(name) or {})]


@pytest.mark.parametrize("relative", _vector_documents())
def test_w3c_vectors_give_pyld_s_dataset(relative: str) -> None:
    document = vector_json(relative)
    assert _ours(document) == _pyld_dataset(document)


def test_the_vectors_are_found() -> None:
    assert len(_vector_documents()) >= 20


def test_credentials_of_many_values_give_pyld_s_dataset() -> None:
    for document in credentials(40, ISSUER):
        assert _ours(document) == _pyld_dataset(document)


@pytest.mark.parametrize(
    "document", FEATURES, ids=["list", "reverse", "json", "direction", "graphs"]
)
def test_json_ld_features_give_pyld_s_dataset(document: dict[str, Any]) -> None:
    ours = _ours(document)
    assert ours == _pyld_dataset(document)
    assert sum(len(triples) for triples in ours.values()) > 0
