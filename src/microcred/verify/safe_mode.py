"""The safe-mode check: every term, type and id expands, so the proof covers all of it."""

from __future__ import annotations

from microcred.crypto.compiled import check_safe
from microcred.deadline import DeadlineExceeded
from microcred.formats.jsonld import DocumentTooComplex, UnknownContext, UnsafeDocument
from microcred.i18n import N_
from microcred.verify.report import CheckResult, failed, indeterminate, ok, said
from microcred.verify.subject import Subject

NAME = "safe_mode"
TOO_COMPLEX = N_("the credential is built in a way too complex to check safely")
STOPPED = N_("checking the credential's terms took too long and was stopped")
UNDEFINED_TERM = N_(
    "the credential contains a term its vocabularies do not define, and the signature does "
    "not cover such a term"
)


def check_safe_mode(subject: Subject) -> CheckResult:
    """Return ok when JSON-LD expansion keeps every value; failed names the first dropped one."""
    # The proofs are the proof check's business (eddsa-jcs-2022 proofs carry their own
    # @context, which does not expand inside the document); the signed data is the rest.
    unsecured = {key: value for key, value in subject.parsed.items() if key != "proof"}
    try:
        check_safe(unsecured)
    except DocumentTooComplex as error:
        return failed(
            NAME, said(TOO_COMPLEX), path=error.path, technical=f"JSON-LD refused: {error}"
        )
    except DeadlineExceeded as error:  # not checked, which is not disproved
        return indeterminate(NAME, said(STOPPED), technical=str(error))
    except UnsafeDocument as error:
        return failed(
            NAME,
            said(UNDEFINED_TERM),
            path=error.path,
            technical=f"{error.path}: {error.reason}",
        )
    except UnknownContext as error:
        return failed(NAME, said(UNDEFINED_TERM), technical=str(error))
    return ok(
        NAME, said(N_("every term, type and identifier is defined by the document's contexts"))
    )
