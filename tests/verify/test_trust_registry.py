"""The trusted-issuer registry: read from TOML or JSON, with errors that name what to fix."""

from __future__ import annotations

import json

import pytest

from microcred.verify import TrustedIssuer, TrustRegistry, TrustRegistryError

LAHNTAL = "did:web:www.th-lahntal.example"


def test_registry_reads_issuers_from_toml(tmp_path):
    path = tmp_path / "trusted.toml"
    path.write_text(f'[[issuers]]\nid = "{LAHNTAL}"\nname = "TH Lahntal"\n', encoding="utf-8")
    registry = TrustRegistry.load(path)
    assert registry.lookup(LAHNTAL) == TrustedIssuer(LAHNTAL, "TH Lahntal")
    assert registry.lookup("did:web:elsewhere.example") is None


def test_registry_reads_issuers_from_json(tmp_path):
    path = tmp_path / "trusted.json"
    path.write_text(json.dumps({"issuers": [{"id": LAHNTAL, "name": "TH Lahntal"}]}))
    assert len(TrustRegistry.load(path)) == 1


def test_own_issuers_are_added_to_a_registry():
    own = TrustedIssuer("did:web:microcred.example", "Our university", source="own institution")
    registry = TrustRegistry([TrustedIssuer(LAHNTAL, "TH Lahntal")]).with_issuers([own])
    assert registry.lookup("did:web:microcred.example").source == "own institution"
    assert len(registry) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("issuers = 3", "expected a list called 'issuers'"),
        ('[[issuers]]\nid = "tu-lahntal"\nname = "X"', "issuers[0].id must be a DID or URL"),
        (f'[[issuers]]\nid = "{LAHNTAL}"', "issuers[0].name must be a non-empty string"),
        ("issuers = [", "not valid TOML"),
    ],
)
def test_malformed_registry_file_names_the_problem(tmp_path, text, message):
    path = tmp_path / "trusted.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TrustRegistryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        TrustRegistry.load(path)


def test_missing_registry_file_names_the_file(tmp_path):
    with pytest.raises(TrustRegistryError, match="nowhere.toml: cannot read"):
        TrustRegistry.load(tmp_path / "nowhere.toml")
