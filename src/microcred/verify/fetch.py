"""Fetch a credential from a link (a QR code, an email) through `microcred.net`'s fetch policy."""

from __future__ import annotations

from microcred.config import Settings
from microcred.net import FetchPolicy, FetchRefused, fetch
from microcred.verify.parse import MAX_BYTES

ACCEPT = "application/vc+ld+json, application/ld+json, application/json, application/vc+jwt, */*"


class FetchError(ValueError):
    """The link cannot give a credential; the message says why."""


def fetch_credential(url: str, *, policy: FetchPolicy | None = None) -> bytes:
    """Return the body at `url`, at most MAX_BYTES; raises `FetchError`.

    The settings' fetch policy applies (default): https and public addresses only, so a link
    cannot make this server reach its own network. Any media type is taken, because a
    baked badge (PNG, SVG) carries its credential inside.
    """
    try:
        return fetch(url, accept=ACCEPT, max_bytes=MAX_BYTES, policy=policy).body
    except FetchRefused as error:
        raise FetchError(str(error)) from error


def fetch_policy(settings: Settings) -> FetchPolicy:
    """Return the outbound-fetch policy `settings` ask for (``MICROCRED_FETCH_*``)."""
    return FetchPolicy.from_settings(settings)
