"""RDFC-1.0 on the inputs where implementations disagree: escaping, direction, blank-node cycles."""

from __future__ import annotations

import pytest

from microcred.crypto import rdfc
from microcred.crypto.rdfc import CanonicalizationTooComplex, canonicalize
from microcred.formats.jsonld.rdf import to_quads
from microcred.formats.jsonld.rdf_terms import Quad, blank, iri, literal

VOCAB = "http://example.org/vocab#"


def test_control_characters_use_rdfc_escapes_not_the_older_ones():
    value = "\u0008\u0009\u000a\u000b\u000c\u000d\u0022\u005c\u007f\u0001"
    quad = Quad(iri("urn:ex:s"), iri("urn:ex:p"), literal(value))
    assert (
        canonicalize([quad])
        == '<urn:ex:s> <urn:ex:p> "\\b\\t\\n\\u000B\\f\\r\\"\\\\\\u007F\\u0001" .\n'
    )


def test_unicode_is_written_as_is_and_iris_escape_only_forbidden_characters():
    quads = [
        Quad(iri("urn:ex:s"), iri("urn:ex:p"), literal("∞ 🌃 é")),
        Quad(iri("urn:ex:s"), iri("urn:ex:q"), iri("urn:ex:a b>")),
    ]
    assert canonicalize(quads) == (
        '<urn:ex:s> <urn:ex:p> "∞ 🌃 é" .\n<urn:ex:s> <urn:ex:q> <urn:ex:a\\u0020b\\u003E> .\n'
    )


def test_blank_node_cycle_in_a_blank_named_graph_gets_canonical_labels():
    # rdf-canon example: a three-node next/prev ring inside graph _:g.
    g = blank("g")
    ring = [
        ("e0", "next", "e1"),
        ("e0", "prev", "e2"),
        ("e1", "next", "e2"),
        ("e1", "prev", "e0"),
        ("e2", "next", "e0"),
        ("e2", "prev", "e1"),
    ]
    quads = [Quad(blank(s), iri(VOCAB + p), blank(o), g) for s, p, o in ring]
    quads.append(Quad(iri("urn:ex:s"), iri("urn:ex:p"), literal("x"), g))
    assert canonicalize(quads) == (
        '<urn:ex:s> <urn:ex:p> "x" _:c14n0 .\n'
        "_:c14n1 <http://example.org/vocab#next> _:c14n2 _:c14n0 .\n"
        "_:c14n1 <http://example.org/vocab#prev> _:c14n3 _:c14n0 .\n"
        "_:c14n2 <http://example.org/vocab#next> _:c14n3 _:c14n0 .\n"
        "_:c14n2 <http://example.org/vocab#prev> _:c14n1 _:c14n0 .\n"
        "_:c14n3 <http://example.org/vocab#next> _:c14n1 _:c14n0 .\n"
        "_:c14n3 <http://example.org/vocab#prev> _:c14n2 _:c14n0 .\n"
    )


def test_canonical_form_does_not_depend_on_input_labels_or_order():
    def double_circle(names: list[str]) -> list[Quad]:
        a, b, c, d = (blank(n) for n in names)
        edges = [(a, b), (b, a), (b, c), (c, b), (c, d), (d, c), (d, a), (a, d)]
        return [Quad(s, iri(VOCAB + "next"), o) for s, o in edges]

    first = canonicalize(double_circle(["w", "x", "y", "z"]))
    second = canonicalize(list(reversed(double_circle(["q", "r", "s", "t"]))))
    assert first == second
    assert "_:c14n3" in first


def test_poison_dataset_is_refused_instead_of_running_forever(monkeypatch):
    monkeypatch.setattr(rdfc, "MAX_CANONICALISATION_WORK", 5)
    nodes = [blank(f"n{i}") for i in range(6)]
    quads = [Quad(s, iri(VOCAB + "p"), o) for s in nodes for o in nodes if s != o]
    with pytest.raises(CanonicalizationTooComplex):
        canonicalize(quads)


def test_language_and_direction_use_the_i18n_datatype():
    document = {
        "@context": {"name": {"@id": "https://schema.org/name"}},
        "@id": "urn:ex:thing",
        "name": {"@value": "شهادة", "@language": "ar-EG", "@direction": "rtl"},
    }
    i18n = "https://www.w3.org/ns/i18n#ar-eg_rtl"
    assert canonicalize(to_quads(document)) == (
        f'<urn:ex:thing> <https://schema.org/name> "شهادة"^^<{i18n}> .\n'
    )


def test_direction_without_language_keeps_an_empty_language_part():
    document = {
        "@context": {"name": {"@id": "https://schema.org/name"}},
        "@id": "urn:ex:thing",
        "name": {"@value": "abc", "@direction": "ltr"},
    }
    assert "^^<https://www.w3.org/ns/i18n#_ltr>" in canonicalize(to_quads(document))


def test_language_tagged_string_without_direction_stays_a_lang_string():
    document = {
        "@context": {"name": {"@id": "https://schema.org/name"}},
        "@id": "urn:ex:thing",
        "name": {"@value": "Zertifikat", "@language": "de"},
    }
    assert canonicalize(to_quads(document)) == (
        '<urn:ex:thing> <https://schema.org/name> "Zertifikat"@de .\n'
    )
