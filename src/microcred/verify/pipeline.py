"""Verify a credential or a presentation: run the named checks in order and add up a verdict.

parse → contexts → data_model → safe_mode → proof → issuer_binding → status → validity →
issuer_trust → eu_profile.
A check whose prerequisite did not pass is skipped with that reason. The credential is
verified when no check failed and none was indeterminate (could not be made: a key or status
list not fetched, a budget run out); an intact credential from an issuer outside the registry
is `verified_untrusted_issuer`, which reads differently from a forged one (`failed`) and from
one that could not be checked (`indeterminate`). A failure outweighs an indeterminate check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cryptography import x509

from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PublicKey
from microcred.crypto.sd_jwt import KeyBinding
from microcred.deadline import DeadlineExceeded
from microcred.i18n import N_
from microcred.observability.metrics import CREDENTIALS_VERIFIED
from microcred.verify.contexts import check_contexts
from microcred.verify.data_model import check_data_model
from microcred.verify.document import as_list
from microcred.verify.edc import edc_checks, looks_like_edc
from microcred.verify.eu_profile import check_eu_profile
from microcred.verify.issuer_binding import check_issuer_binding
from microcred.verify.issuer_trust import check_issuer_trust
from microcred.verify.parse import check_parse
from microcred.verify.proof import check_proof
from microcred.verify.report import (
    VERDICT_PRECEDENCE,
    CheckResult,
    CheckStatus,
    Verdict,
    VerificationReport,
    failed,
    indeterminate,
    said,
    skipped,
)
from microcred.verify.safe_mode import check_safe_mode
from microcred.verify.sd_jwt_vc import SdJwtVcChecks, looks_like_sd_jwt
from microcred.verify.seal import default_seal_roots
from microcred.verify.status import check_status
from microcred.verify.subject import Subject
from microcred.verify.trust import TrustRegistry
from microcred.verify.validity import check_validity

log = logging.getLogger(__name__)

Check = Callable[[Subject], CheckResult]
KeyResolver = Callable[[str], PublicKey]
StatusListFetch = Callable[[str], dict[str, Any]]

# (name, check, the checks that must have passed first)
CREDENTIAL_CHECKS: list[tuple[str, Check, tuple[str, ...]]] = [
    ("parse", check_parse, ()),
    ("contexts", check_contexts, ("parse",)),
    ("data_model", check_data_model, ("parse",)),
    ("safe_mode", check_safe_mode, ("contexts",)),
    # A proof may name a remote key (did:web): fetched only once the local checks passed.
    ("proof", check_proof, ("contexts", "data_model", "safe_mode")),
    ("issuer_binding", check_issuer_binding, ("proof",)),
    ("status", check_status, ("proof",)),  # no status list is fetched for a forgery
    ("validity", check_validity, ("parse",)),
    ("issuer_trust", check_issuer_trust, ("issuer_binding",)),  # only a proven issuer
    ("eu_profile", check_eu_profile, ("parse",)),
]
PRESENTATION_CHECKS = CREDENTIAL_CHECKS[:6]


def verify_credential(
    document_or_text: Any,
    *,
    now: datetime | None = None,
    trust: TrustRegistry | None = None,
    resolve_key: KeyResolver | None = None,
    fetch_status_list: StatusListFetch | None = None,
    seal_roots: list[x509.Certificate] | None = None,
) -> VerificationReport:
    """Return the report of every check on a credential: a dict, JSON text/bytes, or a vc+jwt.

    `resolve_key` maps a verification method URL to its public key (did:key and did:web by
    default); `trust` is the trusted-issuer registry (empty: every issuer is untrusted).
    A Europass EDC (sealed or not) gets EDCI's checks instead; `seal_roots` are the roots its
    JAdES seal must chain to (default: the folder of the ``seal_trust_dir`` setting).
    Never raises for bad input: what is wrong is a failed check with a reason.
    """
    subject = Subject(
        given=document_or_text,
        now=now or datetime.now(UTC),
        trust=TrustRegistry() if trust is None else trust,
        resolve_key=resolve_key or key_resolver(purpose="assertionMethod"),
        fetch_status_list=fetch_status_list,
    )
    if looks_like_edc(document_or_text):  # a Europass EDC: EDCI's checks (see verify.edc)
        roots = default_seal_roots() if seal_roots is None else seal_roots
        checks = run_checks(subject, edc_checks(roots))
    elif looks_like_sd_jwt(document_or_text):  # an SD-JWT VC (see verify.sd_jwt_vc)
        checks = run_checks(subject, SdJwtVcChecks().checks())
    else:
        checks = run_checks(subject, CREDENTIAL_CHECKS)
    return counted_report(checks)


def counted_report(checks: list[CheckResult]) -> VerificationReport:
    """Return the report the results of one credential's checks add up to, counted in the
    verification metric."""
    verdict = _verdict(checks)
    CREDENTIALS_VERIFIED.labels(str(verdict)).inc()
    return VerificationReport(verdict=verdict, failed_check=_first_failed(checks), checks=checks)


def verify_presentation(
    presentation: Any,
    challenge: str,
    domain: str | None = None,
    *,
    now: datetime | None = None,
    trust: TrustRegistry | None = None,
    resolve_key: KeyResolver | None = None,
    credential_key: KeyResolver | None = None,
    fetch_status_list: StatusListFetch | None = None,
) -> VerificationReport:
    """Return the report on a presentation: its own proof (purpose `authentication`, with this
    `challenge` and `domain`), then one full report per credential it carries (`.credentials`).

    `credential_key` resolves the carried credentials' keys (default: `resolve_key`)."""
    subject = Subject(
        given=presentation,
        now=now or datetime.now(UTC),
        trust=TrustRegistry() if trust is None else trust,
        resolve_key=resolve_key or key_resolver(purpose="authentication"),
        kind="presentation",
        purpose="authentication",
        challenge=challenge,
        domain=domain,
    )
    checks = run_checks(subject, PRESENTATION_CHECKS)
    embedded = as_list(subject.document.get("verifiableCredential")) if subject.document else []
    credentials = [
        verify_credential(
            credential,
            now=subject.now,
            trust=trust,
            resolve_key=credential_key or resolve_key,
            fetch_status_list=fetch_status_list,
        )
        for credential in embedded
    ]
    verdicts = [_verdict(checks), *(report.verdict for report in credentials)]
    verdict = min(verdicts, key=VERDICT_PRECEDENCE.index)
    carried = [
        (f"credential[{i}].{r.failed_check}", r.verdict)
        for i, r in enumerate(credentials)
        if r.failed_check
    ]
    failed_check = (
        _first_with(checks, CheckStatus.failed)
        or next((name for name, found in carried if found == Verdict.failed), None)
        or _first_with(checks, CheckStatus.indeterminate)
        or next((name for name, _ in carried), None)
    )
    return VerificationReport(
        verdict=verdict, failed_check=failed_check, checks=checks, credentials=credentials
    )


def verify_sd_jwt_presentation(
    presentation: str,
    key_binding: KeyBinding,
    *,
    now: datetime | None = None,
    trust: TrustRegistry | None = None,
    resolve_key: KeyResolver | None = None,
    fetch_status_list: StatusListFetch | None = None,
) -> tuple[VerificationReport, dict[str, Any]]:
    """Return the report on an SD-JWT VC presentation (its KB-JWT must carry this audience and
    nonce) and the claims it disclosed, which are empty unless the issuer's proof verified."""
    subject = Subject(
        given=presentation,
        now=now or datetime.now(UTC),
        trust=TrustRegistry() if trust is None else trust,
        resolve_key=resolve_key or key_resolver(purpose="assertionMethod"),
        fetch_status_list=fetch_status_list,
    )
    sd_jwt = SdJwtVcChecks(key_binding=key_binding)
    checks = run_checks(subject, sd_jwt.checks())
    report = VerificationReport(
        verdict=_verdict(checks), failed_check=_first_failed(checks), checks=checks
    )
    return report, sd_jwt.disclosed_claims


def run_checks(
    subject: Subject, checks: list[tuple[str, Check, tuple[str, ...]]]
) -> list[CheckResult]:
    """Run `checks` in order on `subject`; a check whose prerequisite did not pass is skipped."""
    for name, check, needs in checks:
        unmet = [need for need in needs if subject.results[need].status != CheckStatus.ok]
        if unmet:
            result = skipped(
                name, said(N_("not checked: the %(check)s check did not pass"), check=unmet[0])
            )
        else:
            result = _run_one(name, check, subject)
        subject.results[name] = result
    return list(subject.results.values())


def _run_one(name: str, check: Check, subject: Subject) -> CheckResult:
    try:
        return check(subject)
    except Exception as error:  # a verifier answers every input with a report, never a crash
        ran_out = _deadline_behind(error)
        if ran_out is not None:  # the budget ran out (perhaps inside a library): not disproved
            return indeterminate(
                name, said(N_("this check took too long and was stopped")), technical=str(ran_out)
            )
        log.exception("the %s check raised on its input", name)
        return failed(
            name,
            said(
                N_(
                    "the credential could not be checked: it is built in a way this check "
                    "cannot read"
                )
            ),
            technical=f"{type(error).__name__}: {error}"[:300],
        )


def _deadline_behind(error: BaseException) -> DeadlineExceeded | None:
    """Return the `DeadlineExceeded` an error was raised from (directly or further back)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DeadlineExceeded):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _first_failed(checks: list[CheckResult]) -> str | None:
    """Return the first check that failed, else the first that could not be made."""
    return _first_with(checks, CheckStatus.failed) or _first_with(checks, CheckStatus.indeterminate)


def _first_with(checks: list[CheckResult], status: CheckStatus) -> str | None:
    return next((c.name for c in checks if c.status == status), None)


def _verdict(checks: list[CheckResult]) -> Verdict:
    if _first_with(checks, CheckStatus.failed):
        return Verdict.failed
    if _first_with(checks, CheckStatus.indeterminate):
        return Verdict.indeterminate
    if any(c.status == CheckStatus.untrusted for c in checks):
        return Verdict.verified_untrusted_issuer
    return Verdict.verified
