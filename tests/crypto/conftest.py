"""Shared fixtures: the W3C known-answer vectors and the examples context they use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from microcred.formats.jsonld import forget_context, register_context

HERE = Path(__file__).parent
VECTORS = HERE / "vectors"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
CITIZENSHIP_CONTEXT = "https://w3id.org/citizenship/v4rc1"
VECTOR_CONTEXTS = {
    EXAMPLES_CONTEXT: "examples-v2.jsonld",
    CITIZENSHIP_CONTEXT: "citizenship-v4rc1.jsonld",
}


@pytest.fixture(autouse=True, scope="module")
def examples_context() -> Iterator[None]:
    """The vectors' contexts, resolvable while these tests run and unknown after (other tests
    check that an unpinned context is refused)."""
    for url, file_name in VECTOR_CONTEXTS.items():
        register_context(url, HERE / "contexts" / file_name)
    yield
    for url in VECTOR_CONTEXTS:
        forget_context(url)


def vector_json(relative: str) -> Any:
    return json.loads((VECTORS / relative).read_text(encoding="utf-8"))


def vector_text(relative: str) -> str:
    return (VECTORS / relative).read_text(encoding="utf-8")


@pytest.fixture
def alumni_credential() -> dict[str, Any]:
    credential: dict[str, Any] = vector_json("vc-di-eddsa/unsigned.json")
    return credential
