"""RDF terms and quads as plain tuples, and their canonical N-Quads form (RDFC-1.0, RDF 1.1).

Canonical escaping: in literals, U+0008 `\\b`, U+0009 `\\t`, U+000A `\\n`, U+000C `\\f`,
U+000D `\\r`, `"` and `\\` use their short escapes; every other character in U+0000-U+001F
and U+007F is written `\\uXXXX` with upper-case hex; nothing else is escaped. pyld 3.x escapes
the older way, which is why serialisation lives here.
"""

from __future__ import annotations

from typing import NamedTuple

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

IRI = "iri"
BLANK = "blank"
LITERAL = "literal"


class Term(NamedTuple):
    """An IRI, a blank node (value is the label without `_:`) or a literal."""

    kind: str
    value: str
    datatype: str = ""
    language: str = ""


class Quad(NamedTuple):
    """One statement; `graph` is None for the default graph."""

    subject: Term
    predicate: Term
    object: Term
    graph: Term | None = None


def iri(value: str) -> Term:
    return Term(IRI, value)


def blank(label: str) -> Term:
    return Term(BLANK, label)


def literal(value: str, datatype: str = XSD_STRING, language: str = "") -> Term:
    return Term(LITERAL, value, RDF_LANGSTRING if language else datatype, language)


def _escape_table(specials: str, short: dict[str, str]) -> dict[int, str]:
    table = {code: f"\\u{code:04X}" for code in range(0x20)}
    table[0x7F] = "\\u007F"
    table.update({ord(ch): f"\\u{ord(ch):04X}" for ch in specials})
    table.update({ord(ch): escaped for ch, escaped in short.items()})
    return table


LITERAL_ESCAPES = _escape_table(
    "", {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
)
IRI_ESCAPES = _escape_table(' <>"{}|^`\\', {})
del IRI_ESCAPES[0x7F]


def term_to_nquads(term: Term) -> str:
    """Return `term` in canonical N-Quads syntax."""
    if term.kind == IRI:
        return f"<{term.value.translate(IRI_ESCAPES)}>"
    if term.kind == BLANK:
        return f"_:{term.value}"
    text = f'"{term.value.translate(LITERAL_ESCAPES)}"'
    if term.datatype == RDF_LANGSTRING:
        return f"{text}@{term.language}"
    if term.datatype != XSD_STRING:
        return f"{text}^^<{term.datatype.translate(IRI_ESCAPES)}>"
    return text


def quad_to_nquads(quad: Quad) -> str:
    """Return one canonical N-Quads line, newline included."""
    parts = [
        term_to_nquads(quad.subject),
        term_to_nquads(quad.predicate),
        term_to_nquads(quad.object),
    ]
    if quad.graph is not None:
        parts.append(term_to_nquads(quad.graph))
    return " ".join(parts) + " .\n"
