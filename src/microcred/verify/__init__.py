"""Verification: a pipeline of named checks, each giving ok / failed / skipped and a reason.

`verify_credential` and `verify_presentation` return a `VerificationReport`; its `outcome` is
"verified", "invalid" (a check failed) or "indeterminate" (no check failed, but one could not be
made: a key or status list not fetched, a budget run out), and its `trust` says whether the
issuer is trusted. `verdict` ("verified", "verified_untrusted_issuer", "failed",
"indeterminate") says both at once; `failed_check` names the check that decided.
"""

from microcred.verify.pipeline import verify_credential, verify_presentation
from microcred.verify.report import CheckResult, CheckStatus, Verdict, VerificationReport
from microcred.verify.trust import TrustedIssuer, TrustRegistry, TrustRegistryError

__all__ = [
    "CheckResult",
    "CheckStatus",
    "TrustRegistry",
    "TrustRegistryError",
    "TrustedIssuer",
    "Verdict",
    "VerificationReport",
    "verify_credential",
    "verify_presentation",
]
