"""Verification: a pipeline of named checks, each giving ok / failed / skipped and a reason.

`verify_credential` and `verify_presentation` return a `VerificationReport`; its `verdict` is
"verified", "verified_untrusted_issuer" (intact, but the issuer is not in the registry) or
"failed" (with `failed_check` naming the first check that failed).
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
