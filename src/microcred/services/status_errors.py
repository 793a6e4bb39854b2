"""What can go wrong with a credential's status: each error says what to fix."""

from __future__ import annotations


class StatusError(ValueError):
    """A status change or lookup that cannot be done as asked; the message says why."""


class CredentialNotFound(StatusError, LookupError):
    """No credential issued here has that id."""


class StatusChangeRefused(StatusError):
    """The change does not apply to the credential as it stands (e.g. reinstating a revocation)."""


class StatusListNotFound(StatusError, LookupError):
    """No status list is published at that address."""
