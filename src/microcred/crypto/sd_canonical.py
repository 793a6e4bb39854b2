"""Canonical N-Quads for selective disclosure (W3C vc-di-ecdsa, "Selective Disclosure Functions").

A selectively disclosed document is signed statement by statement, so a statement must read the
same in the issuer's document and in any part of it a holder reveals. Two things make that so:

- Skolemization: every node without an `id` gets a temporary `urn:` one before JSON pointers
  select from the document, so a selected node is still the same node; the `urn:`s turn back into
  blank nodes in the N-Quads (`deskolemized_quads`).
- Label replacement: canonical blank-node labels (`c14n0`, ...) depend on the whole dataset, so
  they are replaced by labels that do not: an HMAC of the canonical label under the issuer's key
  (`hmac_label_map`), which also hides how many statements the holder left out. A verifier
  receives the map from its own canonical labels to these (`given_label_map`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]
from pyld.jsonld import JsonLdError  # type: ignore[import-untyped]

from microcred.crypto.jose import b64url_encode
from microcred.crypto.rdfc import SerializedQuad, canonical_issue, relabelled_lines, serialize
from microcred.crypto.sd_selection import select_json_ld
from microcred.formats.jsonld import UnsafeDocument
from microcred.formats.jsonld.expansion import expand_safely, expansion_options
from microcred.formats.jsonld.rdf import to_quads

LabelMapFactory = Callable[[Mapping[str, str]], dict[str, str]]
"""Turns canonical labels (`_:x` → `c14nN`) into replacement labels (`_:x` → label)."""


@dataclass(frozen=True)
class Group:
    """The canonical statements (by index in the whole document's) some pointers select, and
    the rest."""

    matching: dict[int, str]
    non_matching: dict[int, str]
    deskolemized: list[SerializedQuad]


@dataclass(frozen=True)
class GroupedDocument:
    """A document's relabelled canonical N-Quads, its label map and its groups of statements."""

    nquads: list[str]
    label_map: dict[str, str]
    groups: dict[str, Group]


def hmac_label_map(hmac_key: bytes) -> LabelMapFactory:
    """Labels `u` + base64url(HMAC-SHA-256(key, canonical label)), as the issuer and holder use."""

    def labels(canonical: Mapping[str, str]) -> dict[str, str]:
        return {
            blank: "u" + b64url_encode(hmac.new(hmac_key, label.encode(), hashlib.sha256).digest())
            for blank, label in canonical.items()
        }

    return labels


def given_label_map(label_map: Mapping[str, str]) -> LabelMapFactory:
    """Labels from a map canonical label → label (a derived proof carries one); a canonical label
    it does not name raises `KeyError`."""

    def labels(canonical: Mapping[str, str]) -> dict[str, str]:
        return {blank: label_map[label] for blank, label in canonical.items()}

    return labels


def skolem_prefix() -> str:
    """Return a fresh `urn:` prefix for skolem ids: random, so no IRI of a document has it."""
    return f"urn:microcred-sd:{secrets.token_hex(8)}_"


def skolemized(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    """Return `document` compacted again after giving each node without an `id` a `urn:` one
    (`prefix` and a counter); blank node ids `_:x` become `prefix` + `x`."""
    counter = iter(range(1 << 30))

    def skolemize(value: Any) -> Any:
        if isinstance(value, list):
            return [skolemize(item) for item in value]
        if not isinstance(value, dict) or "@value" in value:
            return value
        node = {
            key: reverse_properties(item) if key == "@reverse" else skolemize(item)
            for key, item in value.items()
        }
        if "@list" in node or "@set" in node:
            return node
        node_id = node.get("@id")
        if node_id is None:
            node["@id"] = f"{prefix}{next(counter)}"
        elif isinstance(node_id, str) and node_id.startswith("_:"):
            node["@id"] = prefix + node_id[2:]
        return node

    def reverse_properties(value: Any) -> Any:
        """An `@reverse` map holds properties, not a node: only its values are nodes."""
        if not isinstance(value, dict):
            return value
        return {key: skolemize(item) for key, item in value.items()}

    expanded = skolemize(expand_safely(document))
    try:
        compacted: dict[str, Any] = jsonld.compact(
            expanded, {"@context": document.get("@context")}, expansion_options()
        )
    except (JsonLdError, KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # Expansion succeeded, so this is the processor failing on a context it mishandles.
        raise UnsafeDocument("$", f"the document cannot be compacted again: {error}") from error
    return compacted


def deskolemized_quads(document: dict[str, Any], prefix: str) -> list[SerializedQuad]:
    """Return the quads of a skolemized document, each IRI `prefix`... a blank node again."""
    iri_start = f"<{prefix}"

    def term(text: str) -> str:
        return "_:" + text[len(iri_start) : -1] if text.startswith(iri_start) else text

    return [
        (term(subject), predicate, term(obj), term(graph))
        for subject, predicate, obj, graph in map(serialize, to_quads(document))
    ]


def relabelled_canonical(
    quads: list[SerializedQuad], label_map_of: LabelMapFactory
) -> tuple[list[str], dict[str, str]]:
    """Return the canonical N-Quads of `quads` with replaced labels (sorted again), and the map
    from the quads' own blank nodes to the replacement labels."""
    distinct, canonical = canonical_issue(quads)
    label_map = label_map_of(canonical)
    return relabelled_lines(distinct, label_map), label_map


def canonicalize_and_group(
    document: dict[str, Any], label_map_of: LabelMapFactory, pointers: Mapping[str, list[str]]
) -> GroupedDocument:
    """Return the relabelled canonical N-Quads of `document` and, for each named list of JSON
    pointers, which of them the pointers select.

    Raises `PointerError` for a pointer that names nothing, and what `to_quads` raises for a
    document that is not sound JSON-LD.
    """
    prefix = skolem_prefix()
    skolem = skolemized(document, prefix)
    nquads, label_map = relabelled_canonical(deskolemized_quads(skolem, prefix), label_map_of)
    groups = {}
    for name, group_pointers in pointers.items():
        selection = select_json_ld(group_pointers, skolem)
        selected_quads = [] if selection is None else deskolemized_quads(selection, prefix)
        selected = set(relabelled_lines(selected_quads, label_map))
        groups[name] = Group(
            matching={i: line for i, line in enumerate(nquads) if line in selected},
            non_matching={i: line for i, line in enumerate(nquads) if line not in selected},
            deskolemized=selected_quads,
        )
    return GroupedDocument(nquads, label_map, groups)
