"""Random secrets handed to a user once (session ids, API tokens) and the hash we keep of them."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    """Return a new random secret (256 bits, URL-safe), with ``prefix`` in front."""
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """Return the hex SHA-256 of ``secret``: what the database stores and looks up by."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
