"""The compiled path gives the reference path's canonical N-Quads byte for byte, on any values."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import vector_json, vector_text
from microcred.crypto.compiled import ShapeCache, reference_nquads
from microcred.crypto.compiled.plan import iri_class
from microcred.crypto.compiled.shape import child_mode
from microcred.formats.jsonld import UnsafeDocument
from microcred.formats.jsonld.rdf import to_quads
from property_profiles import examples
from support.credentials import credentials

ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
[TEMPLATE] = credentials(1, ISSUER)
ACHIEVEMENT = TEMPLATE["credentialSubject"]["achievement"]

# Characters values are drawn from: ASCII, C0 controls and DEL, quotes and backslashes,
# Latin-1, Greek, Arabic (right to left), CJK and characters beyond the BMP.
ALPHABET = (
    [chr(code) for code in range(0x20, 0x7F)]
    + [chr(code) for code in range(0x00, 0x20)]
    + ["\u007f", '"', "\\", "é", "ß", "Ω", "ء", "م", "中", "文", "\u2028", "😀", "𝔘"]
)
IRI_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-._~/%"
LANGUAGES = st.sampled_from(["en", "de", "ar", "fr-CA"])
DIRECTIONS = st.sampled_from([None, "ltr", "rtl"])
DOCUMENTS_PER_SHAPE = 10


class Values:
    """Draws values of one kind from a seeded generator (hypothesis draws seed and structure)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def text(self) -> str:
        pick = self.random.random()
        if pick < 0.1:
            return "same"
        if pick < 0.15:
            return ""
        length = self.random.randint(1, 30)
        text = "".join(self.random.choice(ALPHABET) for _ in range(length))
        # A text starting `_:` is a blank node identifier, which is part of the shape.
        return text.replace("_:", ":_")

    def iri(self, kind: str) -> str:
        length = self.random.randint(1, 20)
        tail = "".join(self.random.choice(IRI_ALPHABET) for _ in range(length))
        # After `scheme:`, a tail starting `//` would change the IRI's class (and its shape).
        return kind + tail.lstrip("/") + "x"

    def number(self, old: float) -> float:
        if isinstance(old, int):
            return self.random.randint(-(10**20), 10**20)
        if old.is_integer():
            return float(self.random.randint(-(10**6), 10**6))
        number = 0.0
        while number.is_integer():
            number = self.random.uniform(-1e6, 1e6) * 10.0 ** self.random.randint(-12, 6)
        return number

    def date(self) -> str:
        return datetime.fromtimestamp(self.random.randint(0, 4 * 10**9), UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )


def fast_cache() -> ShapeCache:
    """A private cache that compiles a shape the first time it sees it."""
    return ShapeCache(to_quads, reference_nquads, compile_after=1)


@st.composite
def structures(draw: st.DrawFn) -> dict[str, Any]:
    """What differs between documents of different shapes: optional parts, lengths, languages."""
    return {
        "alignments": draw(st.integers(min_value=0, max_value=4)),
        "tags": draw(st.integers(min_value=0, max_value=3)),
        "names": draw(st.lists(st.tuples(LANGUAGES, DIRECTIONS), min_size=1, max_size=3)),
        "credits": draw(st.sampled_from(["absent", "integer", "float", "number"])),
        "drop": draw(
            st.sets(st.sampled_from(["description", "criteria", "creator", "awardingBody"]))
        ),
        "valid_until": draw(st.booleans()),
        "hashed": draw(st.booleans()),
    }


def _values_of(value: Any, mode: int, values: Values) -> Any:
    """Every variable value of the template replaced by a drawn one of the same kind."""
    if isinstance(value, dict):
        return {key: _values_of(item, child_mode(key, mode), values) for key, item in value.items()}
    if isinstance(value, list):
        return [_values_of(item, mode, values) for item in value]
    if mode != 0 or isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        kind = iri_class(value)
        return values.text() if kind is None else values.iri(kind)
    return values.number(value)


def build(structure: dict[str, Any], values: Values) -> dict[str, Any]:
    """Return one credential of `structure` with freshly drawn values."""
    document = copy.deepcopy(TEMPLATE)
    achievement = document["credentialSubject"]["achievement"]
    alignment = ACHIEVEMENT["alignment"][0]
    achievement["alignment"] = [
        {
            **alignment,
            "targetUrl": values.iri("http://data.europa.eu/esco/skill/"),
            "targetCode": values.text(),
        }
        for _ in range(structure["alignments"])
    ]
    if structure["tags"]:
        achievement["tag"] = ["tag"] * structure["tags"]
    achievement["name"] = [
        {"@value": "name", "@language": language, **({"@direction": d} if d else {})}
        for language, d in structure["names"]
    ]
    credits = structure["credits"]
    if credits == "absent":
        achievement.pop("creditsAvailable", None)
    else:
        achievement["creditsAvailable"] = {"integer": 5, "float": 7.5, "number": 3.0}[credits]
    for key in structure["drop"]:
        achievement.pop(key, None)
    if structure["valid_until"]:
        document["validUntil"] = "date"
    document["credentialSubject"]["identifier"][1]["hashed"] = structure["hashed"]
    document = _values_of(document, 0, values)
    document["validFrom"] = values.date()
    if structure["valid_until"]:
        document["validUntil"] = values.date()
    if credits == "number":
        achievement = document["credentialSubject"]["achievement"]
        achievement["creditsAvailable"] = float(values.random.randint(0, 120))
    return document


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structure=structures(), seed=st.integers(min_value=0, max_value=2**32))
def test_compiled_path_matches_reference_on_generated_credentials(
    structure: dict[str, Any], seed: int
) -> None:
    """Drawn shapes x 10 credentials (40 shapes a run, 400 in `make test-deep`): every one
    canonicalises exactly as the reference path."""
    cache = fast_cache()
    values = Values(seed)
    for _ in range(DOCUMENTS_PER_SHAPE):
        document = build(structure, values)
        assert cache.canonical_nquads(document) == reference_nquads(document)
    assert cache.hits == DOCUMENTS_PER_SHAPE - 1


def test_second_document_of_a_shape_is_served_by_a_plan() -> None:
    cache = ShapeCache(to_quads, reference_nquads)
    first, second, third = credentials(3, ISSUER)
    cache.canonical_nquads(first)
    cache.canonical_nquads(second)
    assert (cache.hits, cache.compiles) == (0, 1)
    assert cache.canonical_nquads(third) == reference_nquads(third)
    assert cache.hits == 1


def test_relative_id_on_a_known_shape_is_refused_like_the_reference() -> None:
    cache = fast_cache()
    first, second = credentials(2, ISSUER)
    cache.canonical_nquads(first)
    second["id"] = "learner-42"
    with pytest.raises(UnsafeDocument, match="learner-42"):
        cache.canonical_nquads(second)


def test_identifier_changing_its_scheme_takes_the_reference_path() -> None:
    cache = fast_cache()
    first, second = credentials(2, ISSUER)
    cache.canonical_nquads(first)
    second["id"] = "https://credentials.example/42"
    assert not cache.serves(second)
    assert cache.canonical_nquads(second) == reference_nquads(second)


@pytest.mark.parametrize("purpose", ["assertionMethod", "authentication"])
def test_proof_configuration_with_either_purpose_matches_reference(purpose: str) -> None:
    cache = fast_cache()
    for second in range(3):
        config = {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": f"2025-03-01T09:30:0{second}Z",
            "verificationMethod": f"{ISSUER}#key-{second}",
            "proofPurpose": purpose if second else "assertionMethod",
            "@context": TEMPLATE["@context"],
        }
        assert cache.canonical_nquads(config) == reference_nquads(config)


@pytest.mark.parametrize(
    "folder, suffix",
    [
        ("vc-di-eddsa/eddsa-rdfc-2022", "DataInt"),
        ("vc-di-ecdsa/ecdsa-rdfc-2019-p256", "ECDSAP256"),
        ("vc-di-eddsa/Ed25519Signature2020", "EdSig"),
    ],
)
def test_known_answer_documents_canonicalise_the_same_through_a_plan(
    folder: str, suffix: str
) -> None:
    cache = fast_cache()
    unsigned = vector_json(f"{folder.split('/')[0]}/unsigned.json")
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    for _ in range(3):
        assert cache.canonical_nquads(unsigned) == vector_text(f"{folder}/canonDoc{suffix}.txt")
        assert cache.canonical_nquads(config) == vector_text(f"{folder}/proofCanon{suffix}.txt")
    assert cache.hits == 4


def _alignment(name: str, url: str) -> dict[str, Any]:
    return {"type": ["Alignment"], "targetName": name, "targetUrl": url, "targetType": "ext:Skill"}


@pytest.mark.parametrize("nested", [False, True])
def test_tied_blank_nodes_are_ordered_as_the_full_algorithm_orders_them(nested: bool) -> None:
    """Blank nodes whose first-degree hashes tie: alone (the plan orders them itself) and with
    blank neighbours (hash-n-degree decides); both ways, as the reference path."""
    cache = fast_cache()
    values = Values(7)
    for number in range(6):
        document = copy.deepcopy(TEMPLATE)
        achievement = document["credentialSubject"]["achievement"]
        # Two or three alike alignments (same values: tied), one that differs in some documents.
        same = _alignment("Data literacy", "https://esco.example/skill/1")
        alike = [copy.deepcopy(same) for _ in range(2 + number % 2)]
        other = _alignment(values.text() if number % 3 else "Data literacy", values.iri("https://"))
        if nested:  # each alignment inside a result description: tied nodes with neighbours
            achievement["resultDescription"] = [
                {
                    "type": ["ResultDescription"],
                    "name": "Grade",
                    "resultType": "LetterGrade",
                    "alignment": [alignment],
                }
                for alignment in [*alike, other]
            ]
        else:
            achievement["alignment"] = [*alike, other]
        assert cache.canonical_nquads(document) == reference_nquads(document)
    assert cache.hits >= 3
