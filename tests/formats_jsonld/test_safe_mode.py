"""Safe-mode expansion refuses what pyld would silently drop, and names where it is."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.formats.jsonld import UnknownContext, UnsafeDocument
from microcred.formats.jsonld.expansion import expand_safely

V2 = "https://www.w3.org/ns/credentials/v2"


def _credential(**subject: Any) -> dict[str, Any]:
    return {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:learner", **subject},
    }


def test_a_complete_credential_expands():
    [node] = expand_safely(_credential())
    assert node["@type"] == ["https://www.w3.org/2018/credentials#VerifiableCredential"]


def test_relative_id_is_refused_with_its_path():
    with pytest.raises(UnsafeDocument) as caught:
        expand_safely(_credential(id="learner-42"))
    assert caught.value.path == "$.credentialSubject.id"
    assert "learner-42" in caught.value.reason


def test_undefined_type_is_refused():
    document = _credential()
    document["type"] = ["VerifiableCredential", "MicroCredential"]
    with pytest.raises(UnsafeDocument, match="MicroCredential") as caught:
        expand_safely(document)
    assert caught.value.path == "$.type"


def test_undefined_term_is_refused_in_a_context_without_vocab():
    document = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:learner", "ects": 5},
    }
    with pytest.raises(UnsafeDocument) as caught:
        expand_safely(document)
    assert caught.value.path == "$.credentialSubject.ects"


def test_unknown_context_is_an_error_not_a_download():
    document = _credential()
    document["@context"] = [V2, "https://contexts.example/x/v1"]
    with pytest.raises(UnknownContext):
        expand_safely(document)


def test_deep_nesting_is_refused():
    nested: dict[str, Any] = {"id": "did:example:leaf"}
    for _ in range(100):
        nested = {"id": "did:example:n", "x": nested}
    with pytest.raises(UnsafeDocument, match="deeper"):
        expand_safely(_credential(child=nested))


def test_invalid_json_ld_gives_a_reason():
    with pytest.raises(UnsafeDocument, match="not valid JSON-LD"):
        expand_safely({"@context": [V2], "@id": 42})
    with pytest.raises(UnsafeDocument, match="JSON object"):
        expand_safely(["not", "an", "object"])  # type: ignore[arg-type]


def test_vocab_reset_to_null_is_refused_naming_it_not_a_crash():
    document = _credential(name="Jana Nowak")
    document["@context"] = [V2, {"@vocab": None}]
    with pytest.raises(UnsafeDocument, match="cannot read") as caught:
        expand_safely(document)
    assert caught.value.path == "$.@context[1].@vocab"


def test_vocab_set_to_a_url_still_expands():
    document = _credential(name="Jana Nowak")
    document["@context"] = [V2, {"@vocab": "https://vocab.example/#"}]
    [node] = expand_safely(document)
    assert node["https://www.w3.org/2018/credentials#credentialSubject"]
