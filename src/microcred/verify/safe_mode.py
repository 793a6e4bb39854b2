"""The safe-mode check: every term, type and id expands, so the proof covers all of it."""

from __future__ import annotations

from microcred.crypto.compiled import check_safe
from microcred.deadline import DeadlineExceeded
from microcred.formats.jsonld import DocumentTooComplex, UnknownContext, UnsafeDocument
from microcred.i18n import N_
from microcred.verify.report import CheckResult, failed, indeterminate, ok, said
from microcred.verify.subject import Subject

NAME = "safe_mode"


def check_safe_mode(subject: Subject) -> CheckResult:
    """Return ok when JSON-LD expansion keeps every value; failed names the first dropped one."""
    # The proofs are the proof check's business (eddsa-jcs-2022 proofs carry their own
    # @context, which does not expand inside the document); the signed data is the rest.
    unsecured = {key: value for key, value in subject.parsed.items() if key != "proof"}
    try:
        check_safe(unsecured)
    except DocumentTooComplex as error:
        return failed(NAME, f"JSON-LD processing refused: {error}", path=error.path)
    except DeadlineExceeded as error:  # not checked, which is not disproved
        return indeterminate(NAME, f"verification stopped: {error}")
    except UnsafeDocument as error:
        return failed(
            NAME,
            f"{error.path}: {error.reason}; values that do not expand are not covered "
            "by the signature",
            path=error.path,
        )
    except UnknownContext as error:
        return failed(NAME, str(error))
    return ok(
        NAME, said(N_("every term, type and identifier is defined by the document's contexts"))
    )
