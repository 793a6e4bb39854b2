"""The ``BitstringStatusListEntry`` a credential carries in ``credentialStatus``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ENTRY_TYPE = "BitstringStatusListEntry"
REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)


@dataclass(frozen=True)
class StatusEntry:
    """Where one status of one credential lives: a list credential's URL and a bit index."""

    list_url: str
    purpose: str
    index: int

    def to_json(self) -> dict[str, Any]:
        """Return the entry as it goes into ``credentialStatus`` (the index as a string)."""
        return {
            "id": f"{self.list_url}#{self.index}",
            "type": ENTRY_TYPE,
            "statusPurpose": self.purpose,
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_url,
        }


class UnreadableEntry(ValueError):
    """A ``credentialStatus`` entry that cannot be checked; the message says why."""


def status_entries_of(credential: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the credential's ``credentialStatus`` as a list (empty when there is none)."""
    status = credential.get("credentialStatus")
    if status is None:
        return []
    return list(status) if isinstance(status, list) else [status]


def read_entry(entry: Any) -> StatusEntry:
    """Return a ``BitstringStatusListEntry`` as a StatusEntry; raises ``UnreadableEntry``."""
    if not isinstance(entry, dict):
        raise UnreadableEntry("a credentialStatus entry must be a JSON object")
    types = entry.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    if ENTRY_TYPE not in types:
        raise UnreadableEntry(f"credentialStatus type {entry.get('type')!r} is not {ENTRY_TYPE}")
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise UnreadableEntry("the entry has no statusPurpose")
    index_text = entry.get("statusListIndex")
    if not isinstance(index_text, str) or not index_text.isascii() or not index_text.isdigit():
        raise UnreadableEntry(
            f"statusListIndex must be a string of decimal digits, got {index_text!r}"
        )
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise UnreadableEntry("the entry has no statusListCredential URL")
    size = entry.get("statusSize", 1)
    if size != 1:
        raise UnreadableEntry(f"statusSize {size!r} is not supported (only 1-bit entries)")
    return StatusEntry(list_url=url, purpose=purpose, index=int(index_text))
