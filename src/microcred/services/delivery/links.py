"""The addresses a learner and a verifier open: the claim link and the public page."""

from __future__ import annotations

import uuid
from urllib.parse import quote, unquote

URN_UUID = "urn:uuid:"


def public_path(credential_id: str) -> str:
    """Return the path of a credential's public page: ``/credentials/{uuid}``."""
    if credential_id.startswith(URN_UUID):
        return f"/credentials/{credential_id.removeprefix(URN_UUID)}"
    return f"/credentials/{quote(credential_id, safe='')}"


def public_page_url(base_url: str, credential_id: str) -> str:
    """Return the absolute address of a credential's public page (the certificate's QR code)."""
    return base_url.rstrip("/") + public_path(credential_id)


def credential_id_from_path(segment: str) -> str:
    """Return the credential id a public page's path segment names (the inverse of public_path)."""
    try:
        return URN_UUID + str(uuid.UUID(segment))
    except ValueError:
        return unquote(segment)


def claim_url(base_url: str, token: str) -> str:
    """Return the claim link sent to the learner."""
    return f"{base_url.rstrip('/')}/claim/{token}"
