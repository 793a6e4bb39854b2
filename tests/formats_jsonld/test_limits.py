"""Bounds on JSON-LD work: a document past one is refused before expansion, with where and why;
one within every bound (the largest Europass sample, a credential near each bound) passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import microcred
from microcred.formats.jsonld import DocumentTooComplex, UnsafeDocument, limits
from microcred.formats.jsonld.expansion import expand_safely
from microcred.formats.jsonld.limits import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_VALUE_PAIRS,
    MAX_VALUES_PER_PROPERTY,
    check_bounds,
)
from microcred.formats.jsonld.rdf import to_quads

EDC_SAMPLE = Path(microcred.__file__).parent / "data" / "elm" / "Sample-MC-Annex1-unsigned.jsonld"
OB3 = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _credential(parent_orgs: list[Any]) -> dict[str, Any]:
    """An OB 3.0 credential whose issuer lists `parent_orgs` (blank profiles) as parents."""
    return {
        "@context": OB3,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "did:example:issuer",
            "type": "Profile",
            "name": "Issuer",
            "parentOrg": parent_orgs,
        },
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "type": "AchievementSubject",
            "achievement": {
                "id": "urn:uuid:7f0bdbd0-0000-4000-8000-000000000001",
                "type": "Achievement",
                "name": "A",
                "criteria": {"narrative": "n"},
                "description": "d",
            },
        },
    }


def _profiles(count: int) -> list[dict[str, Any]]:
    return [{"type": "Profile", "name": "Org"} for _ in range(count)]


def _refusal(document: Any) -> DocumentTooComplex:
    with pytest.raises(DocumentTooComplex) as refused:
        check_bounds(document)
    return refused.value


def test_thousands_of_blank_profiles_are_refused_before_json_ld_work() -> None:
    """The 600 KB credential that spent a minute in JSON-LD → RDF: refused in one walk."""
    document = _credential(_profiles(17_000))
    assert len(json.dumps(document)) > 600_000
    with pytest.raises(DocumentTooComplex) as refused:
        to_quads(document)
    assert refused.value.path == "$.issuer.parentOrg"
    assert refused.value.reason == f"17,000 values; the limit is {MAX_VALUES_PER_PROPERTY:,}"
    # Still an `UnsafeDocument` to callers that only know that one.
    assert isinstance(refused.value, UnsafeDocument)


def test_values_per_property_up_to_the_bound_pass() -> None:
    check_bounds(_credential(_profiles(MAX_VALUES_PER_PROPERTY)))
    error = _refusal(_credential(_profiles(MAX_VALUES_PER_PROPERTY + 1)))
    assert error.path == "$.issuer.parentOrg"


def test_objects_per_document_are_bounded() -> None:
    # Arrays of 200 stay under the per-array and pair bounds; the objects add up past the bound.
    groups = MAX_NODES // 200 + 1
    document = {"@context": OB3, "groups": [_profiles(200) for _ in range(groups)]}
    assert "objects in one document" in _refusal(document).reason
    check_bounds({"@context": OB3, "groups": [_profiles(200) for _ in range(groups - 2)]})


def test_pairs_of_values_compared_are_bounded_over_all_arrays() -> None:
    per_array = MAX_VALUES_PER_PROPERTY
    arrays = MAX_VALUE_PAIRS // (per_array * (per_array - 1) // 2) + 1
    document = {"values": [["v"] * per_array for _ in range(arrays)]}
    assert "pairs of values" in _refusal(document).reason
    check_bounds({"values": [["v"] * per_array for _ in range(arrays - 1)]})


def test_nesting_is_bounded_without_recursion() -> None:
    def nested(levels: int) -> dict[str, Any]:
        document: dict[str, Any] = {"leaf": 1}
        for _ in range(levels - 1):
            document = {"child": document}
        return document

    check_bounds(nested(MAX_DEPTH))
    assert "nested deeper" in _refusal(nested(MAX_DEPTH + 1)).reason
    assert "nested deeper" in _refusal(nested(50_000)).reason


def test_largest_known_credential_is_within_every_bound() -> None:
    check_bounds(json.loads(EDC_SAMPLE.read_text(encoding="utf-8")))


def test_quads_are_bounded_after_json_ld(monkeypatch: pytest.MonkeyPatch) -> None:
    document = _credential(_profiles(10))
    quads = to_quads(document)
    monkeypatch.setattr(limits, "MAX_QUADS", len(quads) - 1)
    with pytest.raises(DocumentTooComplex, match="RDF statements"):
        to_quads(document)
    monkeypatch.setattr(limits, "MAX_QUADS", len(quads))
    assert to_quads(document) == quads


def test_expansion_refuses_past_a_bound_before_expanding() -> None:
    with pytest.raises(DocumentTooComplex):
        expand_safely(_credential(_profiles(MAX_VALUES_PER_PROPERTY + 1)))
