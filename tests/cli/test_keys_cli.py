"""``microcred keys``: create, rotate, list and export public keys (never private ones)."""

from __future__ import annotations

import base64
import json

import pytest

from microcred.services.catalogue import Catalogue
from microcred.store.database import Database

KEK = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", KEK)
    monkeypatch.setenv("MICROCRED_BASE_URL", "https://credentials.uni.example")


@pytest.fixture
def institution(db_url: str) -> str:
    Catalogue(Database(db_url)).ensure_institution("uni-example", {"en": "Example University"})
    return "uni-example"


def test_create_rotate_and_export_public_keys(invoke, db_url, institution):
    created = invoke("--db", db_url, "keys", "create", institution)
    assert created.exit_code == 0, created.output
    assert "did:web:credentials.uni.example:institutions:uni-example#z6Mk" in created.output
    rotated = invoke("--db", db_url, "keys", "rotate", institution, "--type", "P-256")
    assert rotated.exit_code == 0, rotated.output
    assert rotated.output.index("active") < rotated.output.index("retired")
    exported = invoke("--db", db_url, "keys", "export-public", institution)
    jwks = json.loads(exported.output)["keys"]
    assert [jwk["crv"] for jwk in jwks] == ["P-256", "Ed25519"]
    assert all("d" not in jwk for jwk in jwks)
    document = json.loads(
        invoke("--db", db_url, "keys", "export-public", "--format", "did", institution).output
    )
    assert len(document["assertionMethod"]) == 2


def test_create_a_p384_key(invoke, db_url, institution):
    created = invoke("--db", db_url, "keys", "create", institution, "--type", "P-384")
    assert created.exit_code == 0, created.output
    exported = invoke("--db", db_url, "keys", "export-public", institution)
    assert [jwk["crv"] for jwk in json.loads(exported.output)["keys"]] == ["P-384"]


def test_unknown_institution_and_key_type_fail_with_one_line(invoke, db_url, institution):
    unknown = invoke("--db", db_url, "keys", "create", "nowhere")
    assert unknown.exit_code != 0 and "no institution has the slug 'nowhere'" in unknown.output
    bad_type = invoke("--db", db_url, "keys", "create", institution, "--type", "RSA")
    assert bad_type.exit_code == 2 and "key type must be Ed25519, P-256 or P-384" in bad_type.output
    listed = invoke("--db", db_url, "keys", "list", institution)
    assert listed.exit_code == 2 and "microcred keys create uni-example" in listed.output
