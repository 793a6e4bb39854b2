"""The status check: revocation and suspension, read from the issuer's Bitstring Status Lists.

Valid is ok; revoked or suspended fails, and so does a credentialStatus entry that cannot be
read (the credential's own fault). A status that cannot be established because of its list
(unreachable, not trustworthy, unusable, or the time budget ran out) is indeterminate, reported
as "status unknown", never as revoked.
"""

from __future__ import annotations

from dataclasses import asdict

from microcred.i18n import N_
from microcred.status.check import StatusState, check_credential_status
from microcred.status.fetching import StatusListFetcher
from microcred.verify.report import CheckResult, failed, indeterminate, ok, said, skipped
from microcred.verify.subject import Subject

NAME = "status"
# Other issuers' lists, fetched over HTTPS and kept for their Cache-Control max-age.
DEFAULT_FETCHER = StatusListFetcher()


def check_status(subject: Subject) -> CheckResult:
    """Return ok when no status list marks the credential revoked or suspended."""
    if subject.parsed.get("credentialStatus") is None:
        return skipped(NAME, said(N_("no credentialStatus")))
    result = check_credential_status(
        subject.parsed,
        fetch=subject.fetch_status_list or DEFAULT_FETCHER,
        resolve_key=subject.resolve_key,
        now=subject.now,
    )
    details = {"state": str(result.state), "entries": [asdict(e) for e in result.entries]}
    if result.state == StatusState.valid:
        return ok(
            NAME, said(N_("neither revoked nor suspended (%(why)s)"), why=result.reason), **details
        )
    if result.state == StatusState.unknown and not any(
        entry.entry_unreadable for entry in result.entries
    ):
        return indeterminate(NAME, result.reason, **details)
    return failed(NAME, result.reason, **details)
