"""A compiled plan: which RDF terms each value of one document shape becomes, without JSON-LD.

`compile_plan` runs the reference JSON-LD path (`formats.jsonld.rdf.to_quads`) on the document with
every slot value replaced by a unique marker of the same kind: a text keeps its IRI scheme
(`did:`, `https://`) so that it expands the same way; numbers become unique numbers of the same
class. Each marker is then found in the quads. A marker that comes out as a whole IRI or a
whole literal makes its slot variable; one that is changed, merged into another term, used as a
datatype or language, or lost makes its slot *fixed*: the plan then only serves documents with
the very same value there. The plan emits the quads of any document of the shape by filling
slot values into pre-serialized terms, then canonicalises them (`rdfc.canonicalize_serialized`).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from microcred.crypto.compiled.lines import Lines
from microcred.crypto.compiled.shape import (
    FRACTIONAL_FLOAT,
    INTEGER,
    INTEGRAL_FLOAT,
    TEXT,
    Shape,
    replace_slots,
)
from microcred.crypto.rdfc import SerializedQuad, canonicalize_serialized
from microcred.formats.jsonld.rdf_terms import (
    BLANK,
    IRI,
    IRI_ESCAPES,
    LITERAL,
    LITERAL_ESCAPES,
    Quad,
    Term,
    term_to_nquads,
)

XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
I18N_PREFIX = "https://www.w3.org/ns/i18n#"
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*")
# Characters `rdf_terms` escapes; most values have none and need no translation.
_LITERAL_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_IRI_NEEDS_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WHITE_SPACE = re.compile(r"\s")

# How a slot value is written as a term.
AS_IRI, AS_TEXT, AS_INTEGER, AS_DOUBLE = range(4)
MAX_ATTEMPTS = 6


class NotCompilable(ValueError):
    """The shape's values do not map cleanly onto RDF terms; it stays on the reference path."""


def iri_class(value: str) -> str | None:
    """Return `scheme:` or `scheme://` of an absolute IRI, or None for anything else.

    Within one active context, JSON-LD expands every absolute IRI of one class the same way
    (the scheme could be a defined prefix; `//` after it rules that out).
    """
    if not _ABSOLUTE_IRI.fullmatch(value):
        return None
    scheme, rest = value.split(":", 1)
    return f"{scheme}://" if rest.startswith("//") else f"{scheme}:"


@lru_cache(maxsize=8192)
def escaped_literal(value: str) -> str:
    """Return a string literal's text as N-Quads writes it between quotes (cached: a
    specification's long texts recur in every credential)."""
    return value.translate(LITERAL_ESCAPES) if _LITERAL_NEEDS_ESCAPE.search(value) else value


@lru_cache(maxsize=8192)
def escaped_iri(value: str) -> str:
    """Return an IRI as N-Quads writes it between `<` and `>`."""
    return value.translate(IRI_ESCAPES) if _IRI_NEEDS_ESCAPE.search(value) else value


def canonical_double(value: float) -> str:
    """Return the canonical xsd:double form JSON-LD uses (`1.5E0`, `1.0E21`, `-2.5E-7`)."""
    mantissa, exponent = f"{value:.15E}".split("E")
    whole, fraction = mantissa.split(".")
    return f"{whole}.{fraction.rstrip('0') or '0'}E{int(exponent)}"


def _literal_suffix(term: Term) -> str:
    return term_to_nquads(Term(LITERAL, "", term.datatype, term.language))[2:]


class Plan:
    """Emits the canonical N-Quads of documents of one shape whose fixed slots match."""

    def __init__(
        self,
        fixed: tuple[tuple[int, Any], ...],
        iri_guards: tuple[tuple[int, str], ...],
        constants: list[str],
        renders: list[tuple[int, int, str]],
        quads: list[tuple[int, int, int, int]],
        direction_literals: bool,
    ) -> None:
        self.fixed = fixed
        self.iri_guards = iri_guards
        self.constants = constants
        self.quads = quads
        self.direction_literals = direction_literals
        own_size = sum(len(text) for text in constants) + 48 * len(quads) + 64 * len(renders) + 200
        default_graph_only = all(constants[graph] == "" for _s, _p, _o, graph in quads)
        self.lines = (
            Lines(constants, quads, remember_chars=own_size)
            if default_graph_only and not direction_literals
            else None
        )
        # The plan and at most as much again in the first-degree hashes its `Lines` remember.
        self.size = 2 * own_size if self.lines is not None else own_size
        # For `terms`: each render as (where its text is, before, after). A number's text is
        # written after the values: the k-th of n number renders at index k - n.
        self.number_renders = [(index, how) for index, how, _suffix in renders if how >= AS_INTEGER]
        self.pieces: list[tuple[int, Callable[[str], str], str, str]] = []
        numbers = len(self.number_renders)
        for index, how, suffix in renders:
            if how == AS_IRI:
                self.pieces.append((index, escaped_iri, "<", ">"))
            elif how == AS_TEXT:
                self.pieces.append((index, escaped_literal, '"', f'"{suffix}'))
            else:
                self.pieces.append((-numbers, str, '"', f'"{suffix}'))
                numbers -= 1

    def serves(self, values: list[Any]) -> bool:
        """True when `values` agree with every fixed slot and every IRI keeps its class."""
        for index, expected in self.fixed:
            value = values[index]
            if type(value) is not type(expected) or value != expected:
                return False
        # `iri_class(value) == kind`, for all guards at once: each value starts with its class
        # (`scheme:` not followed by `//` unless the class says so), and none has white space.
        for index, kind in self.iri_guards:
            value = values[index]
            if not value.startswith(kind) or (
                kind[-1] == ":" and value[len(kind) : len(kind) + 2] == "//"
            ):
                return False
        return not _WHITE_SPACE.search("".join([values[index] for index, _kind in self.iri_guards]))

    def terms(self, values: list[Any]) -> list[str]:
        """Return the plan's constant terms followed by the terms `values` fill in."""
        shown = values + [
            str(int(values[index])) if how == AS_INTEGER else canonical_double(float(values[index]))
            for index, how in self.number_renders
        ]
        return self.constants + [
            before + escape(shown[at]) + after for at, escape, before, after in self.pieces
        ]

    def serialized_quads(self, values: list[Any]) -> list[SerializedQuad] | None:
        """Return the distinct quads for `values` (call `serves` first), None if unsure."""
        terms = self.terms(values)
        quads = list(
            dict.fromkeys([(terms[s], terms[p], terms[o], terms[g]) for s, p, o, g in self.quads])
        )
        if self.direction_literals and _values_merged_by_direction(quads):
            return None
        return quads

    def canonical_nquads(self, values: list[Any]) -> str | None:
        """Return the canonical N-Quads for `values` (call `serves` first), None if unsure."""
        if self.lines is not None:
            result = self.lines.canonical_nquads(self.terms(values))
            if result is not None:
                return result
        quads = self.serialized_quads(values)
        return None if quads is None else canonicalize_serialized(quads)


def _values_merged_by_direction(quads: list[SerializedQuad]) -> bool:
    """True if two string literals of one node and property differ only in base direction.

    The reference processor compares values without `@direction` when it builds its node map
    and keeps only the first of two such values; this plan would keep both.
    """
    seen: dict[tuple[str, str, str, str, str], str] = {}
    for subject, predicate, obj, graph in quads:
        if obj[0] != '"':
            continue
        text, _, suffix = obj.rpartition('"')
        if suffix.startswith("@"):
            language = suffix[1:]
        elif suffix.startswith(f"^^<{I18N_PREFIX}"):
            language = suffix[len(I18N_PREFIX) + 3 : -1].rpartition("_")[0]
        elif not suffix:
            language = ""
        else:
            continue
        if seen.setdefault((subject, predicate, graph, text, language), obj) != obj:
            return True
    return False


class _Markers:
    """Unique stand-ins for slot values, and where each one turned up in the quads."""

    def __init__(self, shape: Shape, fixed: set[int]) -> None:
        nonce = secrets.token_hex(4)
        base = secrets.randbelow(9 * 10**12) + 10**12
        self.pattern = re.compile(f"mcm{nonce}x(\\d+)x")
        self.texts: dict[str, int] = {}
        self.numbers: dict[str, tuple[int, int]] = {}
        self.values: list[Any] = []
        for index, (value, kind) in enumerate(zip(shape.values, shape.kinds, strict=True)):
            if index in fixed:
                self.values.append(value)
            elif kind == TEXT:
                marker = f"{iri_class(value) or ''}mcm{nonce}x{index}x"
                self.texts[marker] = index
                self.values.append(marker)
            else:
                number: int | float = base + index
                if kind == INTEGRAL_FLOAT:
                    number = float(number)
                elif kind == FRACTIONAL_FLOAT:
                    number = number + 0.5
                if kind in (INTEGER, INTEGRAL_FLOAT):
                    self.numbers[str(int(number))] = (index, AS_INTEGER)
                self.numbers[canonical_double(float(number))] = (index, AS_DOUBLE)
                self.values.append(number)

    def marked_ids(self, text: str) -> set[int]:
        return {int(found) for found in self.pattern.findall(text)}


def compile_plan(
    document: dict[str, Any], shape: Shape, reference: Callable[[Any], list[Quad]]
) -> Plan:
    """Return the plan for `document`'s shape; raises `NotCompilable`.

    A marker the reference path refuses (a relative IRI where a term was expected, say) names
    itself in the error; its slot becomes fixed and the next attempt keeps the real value.
    """
    fixed: set[int] = set()
    for _attempt in range(MAX_ATTEMPTS):
        markers = _Markers(shape, fixed)
        try:
            quads = list(dict.fromkeys(reference(replace_slots(document, markers.values))))
        except (ValueError, LookupError) as error:
            refused = markers.marked_ids(str(error)) - fixed
            if not refused:
                raise NotCompilable(
                    f"the reference path refused the marked document: {error}"
                ) from error
            fixed |= refused
            continue
        unclean = _unclean_slots(quads, markers, shape, fixed)
        if not unclean:
            return _build(quads, markers, shape, fixed)
        fixed |= unclean
    raise NotCompilable("some values change how the document expands")


def _unclean_slots(quads: list[Quad], markers: _Markers, shape: Shape, fixed: set[int]) -> set[int]:
    unclean: set[int] = set()
    found: set[int] = set()
    for quad in quads:
        for position, term in enumerate(quad):
            if term is None or term.kind == BLANK:
                continue
            index = markers.texts.get(term.value)
            if term.kind == LITERAL and index is None:
                index, _how = markers.numbers.get(term.value, (None, None))
            if index is not None and position != 1 and not _changes_text(term, shape, index):
                found.add(index)
            else:
                unclean |= markers.marked_ids(term.value)
            unclean |= markers.marked_ids(term.datatype) | markers.marked_ids(term.language)
    missing = set(range(len(shape.values))) - found - fixed
    return unclean | missing


def _changes_text(term: Term, shape: Shape, index: int) -> bool:
    """A text read as xsd:double is converted by value, so its slot cannot vary freely."""
    return term.kind == LITERAL and shape.kinds[index] == TEXT and term.datatype == XSD_DOUBLE


def _build(quads: list[Quad], markers: _Markers, shape: Shape, fixed: set[int]) -> Plan:
    constants: list[str] = []
    constant_index: dict[str, int] = {}
    renders: list[tuple[int, int, str]] = []
    render_index: dict[tuple[int, int, str], int] = {}
    iri_guards: dict[int, str] = {}

    def constant(text: str) -> int:
        if text not in constant_index:
            constant_index[text] = len(constants)
            constants.append(text)
        return constant_index[text]

    def slot(index: int, how: int, suffix: str) -> int:
        key = (index, how, suffix)
        if key not in render_index:
            render_index[key] = len(renders)
            renders.append(key)
        return -1 - render_index[key]

    def part(term: Term | None) -> int:
        if term is None:
            return constant("")
        if term.kind == IRI and term.value in markers.texts:
            index = markers.texts[term.value]
            guard = iri_class(shape.values[index])
            if guard is None:
                raise NotCompilable("an identifier is not an absolute IRI")
            iri_guards[index] = guard
            return slot(index, AS_IRI, "")
        if term.kind == LITERAL and term.value in markers.texts:
            return slot(markers.texts[term.value], AS_TEXT, _literal_suffix(term))
        if term.kind == LITERAL and term.value in markers.numbers:
            index, how = markers.numbers[term.value]
            return slot(index, how, _literal_suffix(term))
        return constant(term_to_nquads(term))

    parts = [tuple(part(term) for term in quad) for quad in quads]
    # Slot renders follow the constants in the term list the plan fills at emission.
    offset = len(constants)
    indexed = [
        tuple(index if index >= 0 else offset + (-1 - index) for index in quad) for quad in parts
    ]
    direction = any(
        quad.object.kind == LITERAL and quad.object.datatype.startswith(I18N_PREFIX)
        for quad in quads
    )
    return Plan(
        fixed=tuple(sorted((index, shape.values[index]) for index in fixed)),
        iri_guards=tuple(sorted(iri_guards.items())),
        constants=constants,
        renders=renders,
        quads=[(s, p, o, g) for s, p, o, g in indexed],
        direction_literals=direction,
    )
