"""The issuer trust check: is the (proven) issuer in the trusted-issuer registry?"""

from __future__ import annotations

from microcred.formats.ob3.text import read_text
from microcred.i18n import N_
from microcred.verify.document import issuer_id
from microcred.verify.report import CheckResult, CheckStatus, failed, ok, said
from microcred.verify.subject import Subject

NAME = "issuer_trust"
_TRUSTED = N_("%(name)s (%(issuer)s) is in this installation's trusted-issuer registry")
# Where the trust comes from, said in words: the registry file, or an institution of our own.
_TRUSTED_BY_SOURCE = {
    "own institution": N_("%(name)s (%(issuer)s) is one of this installation's own institutions"),
}


def check_issuer_trust(subject: Subject) -> CheckResult:
    """Return ok for a trusted issuer, `untrusted` (not failed) for an unknown one."""
    document = subject.parsed
    issuer = issuer_id(document)
    if issuer is None:
        return failed(NAME, said(N_("the credential names no issuer")))
    claimed = _claimed_name(document)
    entry = subject.trust.lookup(issuer)
    if entry is None:
        untrusted_reason = (
            said(
                N_("%(issuer)s (%(name)s) is not a trusted issuer here"),
                issuer=issuer,
                name=claimed,
            )
            if claimed
            else said(N_("%(issuer)s is not a trusted issuer here"), issuer=issuer)
        )
        return CheckResult(
            name=NAME,
            status=CheckStatus.untrusted,
            reason=str(untrusted_reason),
            message=untrusted_reason.message,
            values=dict(untrusted_reason.values),
            details={"issuer": issuer, "claimed_name": claimed},
        )
    return ok(
        NAME,
        said(_TRUSTED_BY_SOURCE.get(entry.source, _TRUSTED), name=entry.name, issuer=issuer),
        issuer=issuer,
        trusted_name=entry.name,
        claimed_name=claimed,
    )


def _claimed_name(document: dict[str, object]) -> str:
    issuer = document.get("issuer")
    if not isinstance(issuer, dict):
        return ""
    try:
        names = read_text(issuer.get("name"), "en")
    except ValueError:
        return ""
    return next(iter(names.values()), "")
