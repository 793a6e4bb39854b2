"""``microcred derive``: a holder reveals part of an ecdsa-sd-2023 credential from the command
line; the W3C vector comes out byte for byte, and bad input fails with one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.formats.jsonld import use_operator_contexts

CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
CRYPTO_TESTS = Path(__file__).parents[1] / "crypto"
CONTEXT_FILE = CRYPTO_TESTS / "contexts" / "citizenship-v4rc1.jsonld"
VECTORS = CRYPTO_TESTS / "vectors" / "vc-di-ecdsa" / "ecdsa-sd-2023"
BASE = VECTORS / "prc" / "addSignedSDBase.json"


@pytest.fixture
def pinned(invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The vector's context pinned by the operator, as `docs/conformance.md` describes."""
    monkeypatch.setenv("MICROCRED_CONTEXTS_DIR", str(tmp_path / "contexts"))
    added = invoke("contexts", "add", str(CONTEXT_FILE), "--url", CITIZENSHIP)
    assert added.exit_code == 0, added.output
    yield
    use_operator_contexts(None)


def test_derive_prints_the_spec_derived_credential(invoke, pinned):
    pointers = json.loads((VECTORS / "prCredSelective.json").read_text())
    result = invoke("derive", str(BASE), *[arg for p in pointers for arg in ("-p", p)])
    assert result.exit_code == 0, result.output
    expected = json.loads((VECTORS / "prc" / "derivedRevealDocument.json").read_text())
    assert json.loads(result.output) == expected


def test_derive_writes_to_a_file(invoke, pinned, tmp_path: Path):
    target = tmp_path / "revealed.json"
    result = invoke("derive", str(BASE), "-p", "/credentialSubject/givenName", "-o", str(target))
    assert result.exit_code == 0, result.output
    revealed = json.loads(target.read_text())
    assert revealed["credentialSubject"] == {
        "type": ["PermanentResident", "Person"],
        "givenName": "JANE",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "/credentialSubject/nowhere"], "--pointer: the JSON pointer"),
        (["-p", "credentialSubject"], "must start with '/'"),
    ],
)
def test_pointers_that_name_nothing_fail_with_one_line(invoke, pinned, args, message):
    result = invoke("derive", str(BASE), *args)
    assert result.exit_code == 2 and message in result.output


def test_unreadable_sources_fail_with_one_line(invoke, pinned, tmp_path: Path):
    missing = invoke("derive", str(tmp_path / "missing.json"))
    assert missing.exit_code == 2 and "missing.json" in missing.output
    (tmp_path / "list.json").write_text("[1, 2]")
    not_object = invoke("derive", str(tmp_path / "list.json"))
    assert not_object.exit_code == 2 and "is not a credential" in not_object.output
    (tmp_path / "plain.json").write_text('{"@context": []}')
    no_proof = invoke("derive", str(tmp_path / "plain.json"))
    assert no_proof.exit_code == 2 and "exactly one ecdsa-sd-2023 proof" in no_proof.output
