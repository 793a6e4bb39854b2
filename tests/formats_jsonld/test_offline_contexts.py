"""The offline document loader: pinned contexts only, parsed once, extensions registrable."""

from __future__ import annotations

import pytest

from microcred.formats.jsonld import (
    UnknownContext,
    document_loader,
    known_context_urls,
    load_context,
    register_context,
)

PINNED = [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://www.w3.org/ns/did/v1",
    "http://data.europa.eu/snb/model/context/edc-ap",
]


@pytest.mark.parametrize("url", PINNED)
def test_pinned_context_loads_offline(url):
    assert url in known_context_urls()
    assert "@context" in document_loader(url)["document"]


def test_context_is_parsed_once_and_cached():
    assert load_context(PINNED[0]) is load_context(PINNED[0])


def test_unknown_context_raises_naming_the_url():
    with pytest.raises(UnknownContext) as caught:
        document_loader("https://contexts.example/never-pinned/v1")
    assert caught.value.url == "https://contexts.example/never-pinned/v1"
    assert "pinned" in str(caught.value)


def test_extension_context_can_be_registered_but_not_redefined():
    url = "https://microcred.example/test-extension/v1"
    document = {"@context": {"eqfLevel": "https://microcred.example/vocab#eqfLevel"}}
    register_context(url, document)
    register_context(url, document)  # the same content again is fine
    assert load_context(url) == document
    with pytest.raises(ValueError, match="different content"):
        register_context(url, {"@context": {"eqfLevel": "https://elsewhere.example/x"}})
    with pytest.raises(ValueError, match="different content"):
        register_context(PINNED[0], {"@context": {}})
