"""Outbound reads: the one way microcred fetches anything named by a credential or a visitor.

did:web documents, status list credentials, links to credentials (``GET /verify?url=``, the
CLI, wallet import) all go through `fetch`, under one `FetchPolicy`: https only, public
addresses only (checked on the address actually connected to, at every redirect), at most
``MAX_REDIRECTS`` redirects and ``MAX_BODY_BYTES``, and a total deadline per fetch. The
operator widens it with ``MICROCRED_FETCH_ALLOW_PRIVATE`` or ``MICROCRED_FETCH_ALLOWED_NETWORKS``
(see docs/security.md).

This package sits below `crypto`, `status`, `verify` and `services`, which may all import it;
it imports only `microcred.config`.
"""

from microcred.net.fetching import Fetched, FetchRefused, fetch
from microcred.net.policy import FetchPolicy, current_policy

__all__ = ["FetchPolicy", "FetchRefused", "Fetched", "current_policy", "fetch"]
