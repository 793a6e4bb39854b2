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
        return skipped(NAME, said(N_("the credential names no status list")))
    result = check_credential_status(
        subject.parsed,
        fetch=subject.fetch_status_list or DEFAULT_FETCHER,
        resolve_key=subject.resolve_key,
        now=subject.now,
    )
    details = {
        "state": str(result.state),
        "entries": [asdict(e) for e in result.entries],
        "technical": result.reason,
    }
    if result.state == StatusState.valid:
        return ok(NAME, said(STATUS_REASONS[StatusState.valid]), **details)
    if result.state == StatusState.unknown:
        if any(entry.entry_unreadable for entry in result.entries):
            return failed(NAME, said(UNREADABLE_ENTRY), **details)
        return indeterminate(NAME, said(STATUS_REASONS[StatusState.unknown]), **details)
    return failed(NAME, said(STATUS_REASONS[result.state]), **details)


# What the status lists say, in plain words; what exactly was read is in the details.
STATUS_REASONS = {
    StatusState.valid: N_("neither revoked nor suspended, as the issuer's status list says"),
    StatusState.revoked: N_("the issuer has revoked this credential"),
    StatusState.suspended: N_("the issuer has suspended this credential for now"),
    StatusState.unknown: N_(
        "the issuer's status list could not be fetched or trusted just now, so whether the "
        "credential was revoked is not known"
    ),
}
UNREADABLE_ENTRY = N_("the credential's status entry is damaged, so its status cannot be read")
