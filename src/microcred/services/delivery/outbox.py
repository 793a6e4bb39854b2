"""The demo's outbox: e-mail kept in this process's memory instead of being sent.

Only `microcred demo` turns it on (``Settings.demo_mode``), so the claim flow can be followed
in the browser at ``/demo/outbox`` without a mail server. Memory, not the database: the demo
seeds and serves in one process, a real deployment's schema carries nothing demo-only, and a
message holding a claim link or a one-time code is gone when the demo stops.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from microcred.store.base import utc_now

KEPT_AT_MOST = 500  # the oldest message goes first; a demo never needs more


@dataclass(frozen=True)
class KeptMessage:
    id: int
    to: str
    subject: str
    kept_at: datetime
    text: str
    html: str


class Outbox:
    """The messages kept, newest first, each found again by its number."""

    def __init__(self) -> None:
        self._messages: deque[KeptMessage] = deque(maxlen=KEPT_AT_MOST)
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def keep(self, message: EmailMessage) -> KeptMessage:
        """Return the message as kept: its recipient, subject, text and HTML parts."""
        with self._lock:
            kept = KeptMessage(
                id=next(self._numbers),
                to=str(message["To"]),
                subject=str(message["Subject"]),
                kept_at=utc_now(),
                text=_part(message, "plain"),
                html=_part(message, "html"),
            )
            self._messages.appendleft(kept)
        return kept

    def messages(self) -> list[KeptMessage]:
        with self._lock:
            return list(self._messages)

    def find(self, number: int) -> KeptMessage | None:
        return next((kept for kept in self.messages() if kept.id == number), None)


def _part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    if body is None or body.get_content_subtype() != subtype:
        return ""
    content = body.get_content()
    return content if isinstance(content, str) else ""


# One per process: the demo's seeding and its web server run in the same one.
DEMO_OUTBOX = Outbox()
