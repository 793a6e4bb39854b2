"""The validity check: `now` lies inside the credential's validity period."""

from __future__ import annotations

from microcred.i18n import N_
from microcred.verify.document import vc_version
from microcred.verify.report import CheckResult, failed, ok, said
from microcred.verify.shape import parse_date_time
from microcred.verify.subject import Subject

NAME = "validity"


def check_validity(subject: Subject) -> CheckResult:
    """Return ok when the credential is already valid and not expired at `subject.now`."""
    document = subject.parsed
    v1 = vc_version(document) == "1.1"
    start_key, end_key = ("issuanceDate", "expirationDate") if v1 else ("validFrom", "validUntil")
    bounds = {}
    for key in (start_key, end_key):
        if key in document:
            moment = parse_date_time(document[key], zone_required=not v1)
            if moment is None:
                return failed(
                    NAME,
                    said(N_("the credential's validity dates cannot be read")),
                    technical=f"{key} is not a date-time with a time zone: {document[key]!r:.80}",
                )
            bounds[key] = moment
    now = subject.now
    start, end = bounds.get(start_key), bounds.get(end_key)
    details = {"checked_at": now.isoformat()}
    if start is not None and now < start:
        return failed(
            NAME, said(N_("not valid before %(start)s"), start=document[start_key]), **details
        )
    if end is not None and now > end:
        return failed(NAME, said(N_("expired at %(end)s"), end=document[end_key]), **details)
    if start is None and end is None:
        return ok(NAME, said(N_("the credential states no validity period")), **details)
    if start is not None and end is not None:
        reason = said(
            N_("valid from %(start)s until %(end)s"),
            start=document[start_key],
            end=document[end_key],
        )
    elif start is not None:
        reason = said(N_("valid from %(start)s"), start=document[start_key])
    else:
        reason = said(N_("valid until %(end)s"), end=document[end_key])
    return ok(NAME, reason, **details)
