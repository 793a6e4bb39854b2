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


@pytest.fixture(autouse=True, scope="module")
def examples_context() -> Iterator[None]:
    """The vectors' examples context, resolvable while these tests run and unknown after (other
    tests check that an unpinned context is refused)."""
    register_context(EXAMPLES_CONTEXT, HERE / "contexts" / "examples-v2.jsonld")
    yield
    forget_context(EXAMPLES_CONTEXT)


def vector_json(relative: str) -> Any:
    return json.loads((VECTORS / relative).read_text(encoding="utf-8"))


def vector_text(relative: str) -> str:
    return (VECTORS / relative).read_text(encoding="utf-8")


@pytest.fixture
def alumni_credential() -> dict[str, Any]:
    credential: dict[str, Any] = vector_json("vc-di-eddsa/unsigned.json")
    return credential
