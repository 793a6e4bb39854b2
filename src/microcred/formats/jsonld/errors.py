"""Why a JSON-LD document is refused: it would lose values, or it asks for too much work."""

from __future__ import annotations


class UnsafeDocument(ValueError):
    """Expansion would silently lose part of the document (or it is not valid JSON-LD)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DocumentTooComplex(UnsafeDocument):
    """The document is beyond the bounds of JSON-LD work a credential may ask for."""
