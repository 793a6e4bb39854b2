"""Operator-pinned contexts: served beside the package's, checked against their SHA-256, the
package's own pins winning, and every cache of resolved contexts started afresh on a switch."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.crypto.compiled import SHAPES, canonical_nquads, check_safe
from microcred.formats.jsonld import (
    ContextRefused,
    UnknownContext,
    known_context_urls,
    load_context,
    use_operator_contexts,
)
from microcred.formats.jsonld.operator_contexts import (
    OperatorContextError,
    add_context,
    read_index,
)

EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
# The W3C VC 2.0 examples context, as published (see tests/crypto/contexts/PROVENANCE.md).
EXAMPLES_FILE = Path(__file__).parents[1] / "crypto" / "contexts" / "examples-v2.jsonld"
VC2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(autouse=True)
def no_operator_contexts_after() -> Iterator[None]:
    yield
    use_operator_contexts(None)


def pinned_folder(tmp_path: Path, name: str = "contexts") -> Path:
    folder = tmp_path / name
    add_context(folder, EXAMPLES_FILE, EXAMPLES)
    return folder


def credential(alumni_of: str = "Example University") -> dict[str, object]:
    return {
        "@context": [VC2, EXAMPLES],
        "id": "urn:uuid:0f3e4a52-0d62-4c4f-9a5b-3f1d7c1e2a10",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject", "alumniOf": alumni_of},
    }


def test_examples_context_is_unknown_without_the_folder() -> None:
    with pytest.raises(UnknownContext):
        load_context(EXAMPLES)
    assert EXAMPLES not in known_context_urls()


def test_pinned_context_loads_with_the_folder(tmp_path: Path) -> None:
    use_operator_contexts(pinned_folder(tmp_path))
    assert load_context(EXAMPLES) == json.loads(EXAMPLES_FILE.read_text())
    assert EXAMPLES in known_context_urls()
    with pytest.raises(UnknownContext):
        load_context("https://contexts.example/never-pinned/v1")


def test_index_records_the_file_and_its_sha256(tmp_path: Path) -> None:
    folder = pinned_folder(tmp_path)
    [pinned] = read_index(folder).values()
    assert pinned.sha256 == hashlib.sha256(EXAMPLES_FILE.read_bytes()).hexdigest()
    assert (folder / pinned.file).read_bytes() == EXAMPLES_FILE.read_bytes()
    assert add_context(folder, EXAMPLES_FILE, EXAMPLES) == (pinned, False)


def test_changed_file_is_refused_naming_the_file_and_both_hashes(tmp_path: Path) -> None:
    folder = pinned_folder(tmp_path)
    [pinned] = read_index(folder).values()
    (folder / pinned.file).write_text('{"@context": {"@vocab": "https://attacker.example/#"}}')
    use_operator_contexts(folder)
    with pytest.raises(ContextRefused, match="no longer matches its recorded SHA-256") as caught:
        load_context(EXAMPLES)
    assert pinned.file in str(caught.value) and pinned.sha256 in str(caught.value)


def test_package_pin_wins_over_the_folder_for_the_same_url(tmp_path: Path) -> None:
    folder = tmp_path / "contexts"
    folder.mkdir()
    other = b'{"@context": {"@vocab": "https://attacker.example/#"}}'
    (folder / "vc2.jsonld").write_bytes(other)
    index = {VC2: {"file": "vc2.jsonld", "sha256": hashlib.sha256(other).hexdigest()}}
    (folder / "index.json").write_text(json.dumps(index))
    use_operator_contexts(folder)
    assert "@protected" in load_context(VC2)["@context"]


def test_other_content_for_a_pinned_url_is_not_replaced(tmp_path: Path) -> None:
    folder = pinned_folder(tmp_path)
    changed = tmp_path / "changed.jsonld"
    changed.write_text('{"@context": {"@vocab": "https://elsewhere.example/#"}}')
    with pytest.raises(OperatorContextError, match="pinned already to other content"):
        add_context(folder, changed, EXAMPLES)


@pytest.mark.parametrize(
    ("content", "url", "message"),
    [
        ("not json", EXAMPLES, "not a UTF-8 JSON file"),
        ('{"vocab": 1}', EXAMPLES, "JSON object with '@context'"),
        ('{"@context": {}}', "ftp://contexts.example/v1", "not an http\\(s\\) URL"),
        ('{"@context": {}}', "https://contexts.example/v1#part", "without a fragment"),
    ],
)
def test_unfit_context_files_and_urls_are_refused(
    tmp_path: Path, content: str, url: str, message: str
) -> None:
    source = tmp_path / "context.jsonld"
    source.write_text(content)
    with pytest.raises(OperatorContextError, match=message):
        add_context(tmp_path / "contexts", source, url)
    assert not (tmp_path / "contexts" / "index.json").exists()


@pytest.mark.parametrize(
    "index",
    [
        "[]",
        '{"https://x.example/v1": {"file": "../escape.jsonld", "sha256": "' + "0" * 64 + '"}}',
        '{"https://x.example/v1": {"file": "x.jsonld", "sha256": "short"}}',
        "{broken",
    ],
)
def test_broken_index_is_refused_naming_the_index(tmp_path: Path, index: str) -> None:
    (tmp_path / "index.json").write_text(index)
    use_operator_contexts(tmp_path)
    with pytest.raises(ContextRefused, match="index.json"):
        load_context("https://x.example/v1")


def test_compiled_plans_and_resolved_contexts_do_not_outlive_a_switch(tmp_path: Path) -> None:
    use_operator_contexts(pinned_folder(tmp_path))
    documents = [credential(f"University {n}") for n in range(4)]
    first = [canonical_nquads(document) for document in documents]
    assert SHAPES.serves(documents[0]), "a plan should serve this shape by now"
    assert "<https://www.w3.org/ns/credentials/examples#alumniOf>" in first[0]

    # Without the folder, nothing served from memory may pretend the context is still known.
    use_operator_contexts(None)
    assert not SHAPES.serves(documents[0])
    with pytest.raises(UnknownContext):
        check_safe(documents[1])
    with pytest.raises(UnknownContext):
        canonical_nquads(documents[2])

    # Another folder pins other content for the URL: the quads follow the new content.
    other = tmp_path / "other.jsonld"
    other.write_text('{"@context": {"@vocab": "https://elsewhere.example/vocab#"}}')
    folder = tmp_path / "other-contexts"
    add_context(folder, other, EXAMPLES)
    use_operator_contexts(folder)
    again = canonical_nquads(documents[0])
    assert "<https://elsewhere.example/vocab#alumniOf>" in again
    assert again != first[0]
