"""The issuer binding check: a verified proof was made with a key of the issuer (the holder's,
for a presentation), so the document is the named issuer's and not only intact."""

from __future__ import annotations

from microcred.i18n import N_
from microcred.verify.document import issuer_id
from microcred.verify.report import CheckResult, failed, ok, said, skipped
from microcred.verify.subject import Subject

NAME = "issuer_binding"


def check_issuer_binding(subject: Subject) -> CheckResult:
    """Return ok when a proof's verification method belongs to the issuer (holder)."""
    role = "issuer" if subject.kind == "credential" else "holder"
    expected = issuer_id(subject.parsed)
    if expected is None:
        if subject.kind == "presentation":
            return skipped(NAME, said(N_("the presentation names no holder, so none is bound")))
        return failed(
            NAME, said(N_("the credential names no issuer, so no key can be its issuer's"))
        )
    # A verification method `did:...#key-1` (or `https://.../keys#1`) is its controller's key.
    signers = list(dict.fromkeys(method.split("#", 1)[0] for method in subject.proof_methods))
    if expected in signers:
        message = (
            N_("signed with a key of the issuer, %(did)s")
            if role == "issuer"
            else N_("signed with a key of the holder, %(did)s")
        )
        return ok(NAME, said(message, did=expected), **{role: expected})
    message = (
        N_("the signature is sound, but it was made by someone other than the issuer %(did)s")
        if role == "issuer"
        else N_("the signature is sound, but it was made by someone other than the holder %(did)s")
    )
    return failed(NAME, said(message, did=expected), **{role: expected, "signers": signers})
