"""The documents an OB 2.0 assertion links to, fetched under the outbound-fetch policy.

A hosted assertion, its BadgeClass, the issuer's Profile, the signing key and the revocation
list each live at an https URL the badge names. All of one verification's fetches share one
total deadline (besides each fetch's own; cut shorter by the work's time budget, see
`microcred.deadline`), and a URL is fetched once per verification.
"""

from __future__ import annotations

import time
from typing import Any

from microcred import deadline
from microcred.net import FetchPolicy, FetchRefused, fetch
from microcred.verify.parse import MAX_BYTES, Unparseable, parse_json_object

ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"
# The whole verification's fetches (up to five documents) end by then.
TOTAL_SECONDS = 10.0
# Why a fetch gave nothing that leaves the badge unproven rather than disproven.
_NOT_PROVEN = {"unreachable", "deadline", "status", "address"}


class LinkUnavailable(LookupError):
    """A linked document could not be had; the badge is neither proven nor disproven."""


class LinkInvalid(ValueError):
    """A linked document was had but is not what the badge says it is."""


class LinkedDocuments:
    """Fetches the JSON documents of one verification, each once, within one deadline."""

    def __init__(self, policy: FetchPolicy | None, total_seconds: float = TOTAL_SECONDS) -> None:
        self.policy = policy
        self.until = time.monotonic() + total_seconds
        budget = deadline.current()
        if budget is not None:
            self.until = min(self.until, budget.at)
        self._seen: dict[str, dict[str, Any]] = {}

    def get(self, url: str, what: str) -> dict[str, Any]:
        """Return the JSON object at `url` (`what` names it in messages); raises
        `LinkUnavailable` or `LinkInvalid`."""
        if url in self._seen:
            return self._seen[url]
        try:
            answer = fetch(
                url, accept=ACCEPT, max_bytes=MAX_BYTES, until=self.until, policy=self.policy
            )
        except FetchRefused as error:
            kind = LinkUnavailable if error.reason in _NOT_PROVEN else LinkInvalid
            raise kind(f"the {what} could not be fetched: {error}") from error
        try:
            document = parse_json_object(answer.body.decode("utf-8", errors="replace"))
        except Unparseable as error:
            raise LinkInvalid(f"the {what} at {url} is not a JSON object: {error}") from error
        self._seen[url] = document
        return document


def gone(error: LinkUnavailable) -> bool:
    """True when the fetch was answered 410 Gone: OB 2.0's way to revoke a hosted assertion."""
    return str(error.__cause__ or "").endswith("HTTP 410")
