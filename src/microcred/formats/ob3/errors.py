"""The one error the OB 3.0 format raises: what is wrong and where, in words a user can act on."""

from __future__ import annotations


class Ob3Error(ValueError):
    """A specification or award cannot be rendered, or a document cannot be read, as OB 3.0."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
