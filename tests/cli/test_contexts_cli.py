"""``microcred contexts add/list``: pin a context file in MICROCRED_CONTEXTS_DIR."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.formats.jsonld import use_operator_contexts

EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_FILE = Path(__file__).parents[1] / "crypto" / "contexts" / "examples-v2.jsonld"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "pinned"
    monkeypatch.setenv("MICROCRED_CONTEXTS_DIR", str(folder))
    yield folder
    use_operator_contexts(None)


def test_add_copies_the_file_and_records_its_sha256(invoke, folder: Path) -> None:
    result = invoke("contexts", "add", str(EXAMPLES_FILE), "--url", EXAMPLES)
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(EXAMPLES_FILE.read_bytes()).hexdigest()
    assert f"Pinned {EXAMPLES}" in result.output and digest in result.output
    index = json.loads((folder / "index.json").read_text())
    assert index[EXAMPLES]["sha256"] == digest
    assert (folder / index[EXAMPLES]["file"]).read_bytes() == EXAMPLES_FILE.read_bytes()
    again = invoke("contexts", "add", str(EXAMPLES_FILE), "--url", EXAMPLES)
    assert again.exit_code == 0 and "Already pinned" in again.output
    listed = invoke("contexts", "list")
    assert listed.exit_code == 0
    assert EXAMPLES in listed.output and digest in listed.output and "1 context(s)" in listed.output


def test_other_content_for_the_same_url_is_refused(invoke, folder: Path, tmp_path: Path) -> None:
    invoke("contexts", "add", str(EXAMPLES_FILE), "--url", EXAMPLES)
    other = tmp_path / "other.jsonld"
    other.write_text('{"@context": {"@vocab": "https://elsewhere.example/#"}}')
    result = invoke("contexts", "add", str(other), "--url", EXAMPLES)
    assert result.exit_code == 2
    assert "pinned already to other content" in result.output


def test_a_url_the_package_pins_is_refused(invoke, folder: Path) -> None:
    result = invoke(
        "contexts", "add", str(EXAMPLES_FILE), "--url", "https://www.w3.org/ns/credentials/v2"
    )
    assert result.exit_code == 2
    assert "pinned by microcred itself" in result.output
    assert not folder.exists()


def test_without_the_setting_the_command_says_what_to_set(
    invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROCRED_CONTEXTS_DIR", raising=False)
    result = invoke("contexts", "add", str(EXAMPLES_FILE), "--url", EXAMPLES)
    assert result.exit_code == 2
    assert "MICROCRED_CONTEXTS_DIR" in result.output
