"""JSON pointer selection: what a list of pointers names, with the ids and types on the way."""

from __future__ import annotations

import pytest

from microcred.crypto.sd_selection import PointerError, parse_pointer, select_json_ld

DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:1",
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {
        "id": "_:subject",
        "type": "Person",
        "a/b": "slash",
        "m~n": "tilde",
        "results": [{"type": "Result", "value": 1}, {"value": 2}, {"value": 3}],
    },
}


def test_pointer_tokens_unescape_slash_and_tilde():
    assert parse_pointer("/credentialSubject/a~1b") == ["credentialSubject", "a/b"]
    assert parse_pointer("/m~0n") == ["m~n"]
    with pytest.raises(PointerError, match="'~' not followed by 0 or 1"):
        parse_pointer("/m~2n")


def test_no_pointers_select_nothing():
    assert select_json_ld([], DOCUMENT) is None


def test_selection_keeps_context_ids_except_blank_nodes_and_types():
    selection = select_json_ld(["/credentialSubject/a~1b"], DOCUMENT)
    assert selection == {
        "@context": DOCUMENT["@context"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "credentialSubject": {"type": "Person", "a/b": "slash"},
    }


def test_array_elements_keep_their_order_whatever_the_pointer_order():
    selection = select_json_ld(
        ["/credentialSubject/results/2/value", "/credentialSubject/results/0"], DOCUMENT
    )
    assert selection is not None
    assert selection["credentialSubject"]["results"] == [
        {"type": "Result", "value": 1},
        {"value": 3},
    ]


def test_selection_does_not_share_objects_with_the_document():
    selection = select_json_ld(["/credentialSubject/results"], DOCUMENT)
    assert selection is not None
    selection["credentialSubject"]["results"][0]["value"] = 99
    assert DOCUMENT["credentialSubject"]["results"][0]["value"] == 1


@pytest.mark.parametrize(
    "pointer",
    ["/nowhere", "/credentialSubject/results/3", "/credentialSubject/results/01", "/issuer/0"],
)
def test_a_pointer_that_names_nothing_is_refused(pointer):
    with pytest.raises(PointerError, match="does not match the document"):
        select_json_ld([pointer], DOCUMENT)
