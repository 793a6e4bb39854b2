"""The error rendering an EDC raises: what is missing or wrong, and where, so it can be fixed."""

from __future__ import annotations


class ElmRenderError(ValueError):
    """A specification or award cannot become a valid European Digital Credential."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
