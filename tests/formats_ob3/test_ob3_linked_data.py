"""The rendered credential as linked data: every value expands, so every value is signed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from microcred.crypto import data_integrity
from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.domain.specification import Specification
from microcred.formats.jsonld import UnsafeDocument, load_context
from microcred.formats.jsonld.expansion import expand_safely
from microcred.formats.jsonld.rdf import to_quads
from microcred.formats.ob3 import (
    EXTENSION_CONTEXT,
    EXTENSION_VOCABULARY,
    AwardData,
    IssuerProfile,
    extension_context,
    render_achievement_credential,
)
from microcred.formats.ob3.elements import ELEMENTS

SPEC_URL = "https://www.th-lahntal.example/catalogue/data-literacy"
DOCS = Path(__file__).parents[2] / "docs" / "ob3-extension.md"


def values_in_compact(node: dict[str, Any]) -> int:
    """Count the values of a compact JSON-LD node: each type, each property value, nested too."""
    count = 0
    for key, value in node.items():
        if key in ("@context", "id"):
            continue
        items = value if isinstance(value, list) else [value]
        if key == "type":
            count += len(items)
            continue
        for item in items:
            if isinstance(item, dict) and "@value" not in item:
                count += 1 + values_in_compact(item)
            else:
                count += 1
    return count


def values_in_expanded(node: dict[str, Any]) -> int:
    """Count the same values in expanded JSON-LD, where nothing dropped can be counted."""
    count = 0
    for key, items in node.items():
        if key == "@id":
            continue
        if key == "@type":
            count += len(items)
            continue
        for item in items:
            if "@list" in item:
                count += len(item["@list"])
            elif "@value" in item:
                count += 1
            else:
                count += 1 + values_in_expanded(item)
    return count


@pytest.fixture
def full_spec(spec: Specification) -> Specification:
    """The example with the few optional values it leaves out, so every extension term is used."""
    spec.level.nqf = "DQR 6"
    return spec


@pytest.fixture
def full_credential(
    full_spec: Specification, award: AwardData, issuer: IssuerProfile
) -> dict[str, Any]:
    return render_achievement_credential(full_spec, award, issuer, spec_url=SPEC_URL)


def keys_in(document: Any) -> set[str]:
    if isinstance(document, dict):
        return set(document) | {k for v in document.values() for k in keys_in(v)}
    if isinstance(document, list):
        return {k for v in document for k in keys_in(v)}
    return set()


def test_every_extension_term_is_used_by_the_full_example(full_credential: dict[str, Any]) -> None:
    terms = {t for t, d in extension_context()["@context"].items() if isinstance(d, dict)}
    assert terms - keys_in(full_credential) == set()


def test_extension_context_is_pinned_for_the_offline_loader() -> None:
    assert load_context(EXTENSION_CONTEXT) == extension_context()


def test_rendered_credential_expands_in_safe_mode_with_no_value_dropped(
    full_credential: dict[str, Any],
) -> None:
    expanded = expand_safely(full_credential)
    assert len(expanded) == 1
    assert values_in_expanded(expanded[0]) == values_in_compact(full_credential)


def test_extension_terms_expand_to_the_microcred_vocabulary(
    full_credential: dict[str, Any],
) -> None:
    quads = to_quads(full_credential)
    predicates = {quad[1].value for quad in quads}
    assert f"{EXTENSION_VOCABULARY}eqfLevel" in predicates
    assert f"{EXTENSION_VOCABULARY}learningMode" in predicates
    eqf = [q for q in quads if q[1].value == f"{EXTENSION_VOCABULARY}eqfLevel"]
    assert eqf[0][2].value == "http://data.europa.eu/snb/eqf/6"


def test_arabic_title_keeps_its_direction_in_rdf(
    spec: Specification, award: AwardData, issuer: IssuerProfile
) -> None:
    spec.title = {"en": "Data Literacy", "ar": "محو الأمية البيانية"}
    credential = render_achievement_credential(spec, award, issuer, spec_url=SPEC_URL)
    datatypes = {
        quad[2].datatype for quad in to_quads(credential) if quad[2].value == "محو الأمية البيانية"
    }
    assert datatypes == {"https://www.w3.org/ns/i18n#ar_rtl"}


def test_an_undefined_term_added_to_a_rendered_credential_is_refused(
    credential: dict[str, Any],
) -> None:
    credential["credentialSubject"]["achievement"]["eqfLevle"] = "http://data.europa.eu/snb/eqf/7"
    with pytest.raises(UnsafeDocument, match="eqfLevle"):
        expand_safely(credential)


def test_signed_credential_verifies_and_a_changed_eqf_level_breaks_the_signature(
    credential: dict[str, Any],
) -> None:
    key = PrivateKey.generate()
    signed = data_integrity.sign(
        credential,
        key,
        suite="eddsa-rdfc-2022",
        verification_method=did_key_verification_method_id(key.public_key),
        created="2025-03-01T09:30:00Z",
    )
    [result] = data_integrity.verify(signed, resolve_key=lambda _method: key.public_key)
    assert result.ok, result.reason

    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["eqfLevel"] = "http://data.europa.eu/snb/eqf/7"
    [result] = data_integrity.verify(tampered, resolve_key=lambda _method: key.public_key)
    assert not result.ok


def test_extension_context_is_protected_json_ld_1_1() -> None:
    context = extension_context()["@context"]
    assert context["@version"] == 1.1
    assert context["@protected"] is True
    assert context["mc"] == EXTENSION_VOCABULARY


def test_every_extension_term_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    terms = {t for t, d in extension_context()["@context"].items() if isinstance(d, dict)}
    undocumented = sorted(term for term in terms if f"`{term}`" not in text)
    assert undocumented == []


def test_every_element_row_uses_a_term_the_context_defines() -> None:
    defined = set(extension_context()["@context"]) | {"description"}
    used = {part for element in ELEMENTS for part in element.term.split(".")}
    assert used - defined == set()
