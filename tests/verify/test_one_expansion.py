"""Verifying a credential of a shape no plan serves yet expands its document once, not twice."""

from __future__ import annotations

from typing import Any

import pytest
from verify_support import CHECKED_AT

from microcred.crypto.compiled import SHAPES
from microcred.formats.jsonld import expansion
from microcred.verify import CheckStatus, verify_credential


def test_a_first_seen_shape_is_expanded_once_for_safe_mode_and_signature(
    credential: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    SHAPES.clear()  # no plan: the reference path canonicalises
    # Nor a remembered expansion: issuing the fixture's credential in this thread expanded its body.
    monkeypatch.setattr(expansion._recent, "entries", [], raising=False)
    expanded: list[Any] = []
    real = expansion._expand_checked

    def counting(document: dict[str, Any]) -> list[dict[str, Any]]:
        expanded.append(document)
        return real(document)

    monkeypatch.setattr(expansion, "_expand_checked", counting)
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.check("safe_mode").status == CheckStatus.ok
    assert report.check("proof").status == CheckStatus.ok
    bodies = [document for document in expanded if "credentialSubject" in document]
    assert len(bodies) == 1  # the proof configuration is expanded on its own


def test_a_changed_document_is_expanded_afresh(credential: dict[str, Any]) -> None:
    """The remembered expansion is the exact document's: a tampered copy fails its proof."""
    assert verify_credential(credential, now=CHECKED_AT).check("proof").status == CheckStatus.ok
    tampered = {**credential, "name": "Another name entirely"}
    report = verify_credential(tampered, now=CHECKED_AT)
    assert report.check("proof").status == CheckStatus.failed
