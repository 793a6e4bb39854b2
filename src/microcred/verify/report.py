"""The verification report: one result per named check, and the verdict they add up to."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, computed_field


class CheckStatus(StrEnum):
    ok = "ok"
    failed = "failed"
    skipped = "skipped"
    # The credential is intact, but its issuer is not in the trusted-issuer registry.
    untrusted = "untrusted"
    # Something a reader should know that does not make the credential false (EU profile gaps).
    warning = "warning"


class Verdict(StrEnum):
    verified = "verified"
    verified_untrusted_issuer = "verified_untrusted_issuer"
    failed = "failed"


class CheckResult(BaseModel):
    """The outcome of one check: its name, ok / failed / skipped / ..., and why."""

    name: str
    status: CheckStatus
    reason: str
    details: dict[str, Any] = Field(default_factory=dict)


def ok(name: str, reason: str, **details: Any) -> CheckResult:
    return CheckResult(name=name, status=CheckStatus.ok, reason=reason, details=details)


def failed(name: str, reason: str, **details: Any) -> CheckResult:
    return CheckResult(name=name, status=CheckStatus.failed, reason=reason, details=details)


def skipped(name: str, reason: str, **details: Any) -> CheckResult:
    return CheckResult(name=name, status=CheckStatus.skipped, reason=reason, details=details)


class VerificationReport(BaseModel):
    """Every check run on one credential (or presentation), and the verdict."""

    verdict: Verdict
    failed_check: str | None = None
    checks: list[CheckResult]
    credentials: list[VerificationReport] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verified(self) -> bool:
        """True when every required check passed (the issuer may still be untrusted)."""
        return self.verdict != Verdict.failed

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """One line a person reads first: the verdict and, on failure, which check and why."""
        if self.verdict == Verdict.verified:
            return "verified: every check passed"
        if self.verdict == Verdict.verified_untrusted_issuer:
            return (
                "verified, but the issuer is not in the trusted-issuer registry: "
                + self.check("issuer_trust").reason
            )
        culprit = self.check(self.failed_check) if self.failed_check else None
        return f"failed: {culprit.name}: {culprit.reason}" if culprit else "failed"

    def check(self, name: str) -> CheckResult:
        """Return the result of the check called `name`; raises KeyError if it did not run."""
        for result in self.checks:
            if result.name == name:
                return result
        raise KeyError(name)
