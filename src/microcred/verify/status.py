"""The status check: revocation and suspension. Bitstring Status List checking is issue 4."""

from __future__ import annotations

from microcred.verify.report import CheckResult, skipped
from microcred.verify.subject import Subject

NAME = "status"


def check_status(subject: Subject) -> CheckResult:
    """Return skipped: with no credentialStatus there is nothing to check, and status lists
    are not read yet, so a stated status is reported as unchecked rather than passed."""
    status = subject.parsed.get("credentialStatus")
    if status is None:
        return skipped(NAME, "no credentialStatus")
    return skipped(
        NAME,
        "status lists come in a later release: revocation and suspension were not checked",
        credentialStatus=status,
    )
