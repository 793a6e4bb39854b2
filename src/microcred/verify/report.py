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
            untrusted = self._untrusted()
            reason = f": {untrusted.reason}" if untrusted else ""
            return "verified, but the issuer is not in the trusted-issuer registry" + reason
        culprit = self._failed()
        return f"failed: {self.failed_check}: {culprit.reason}" if culprit else "failed"

    def check(self, name: str) -> CheckResult:
        """Return the result of the check called `name`; raises KeyError if it did not run."""
        result = self.find(name)
        if result is None:
            raise KeyError(name)
        return result

    def find(self, name: str) -> CheckResult | None:
        """Return the result of the check called `name`, or None if it did not run."""
        return next((result for result in self.checks if result.name == name), None)

    def _failed(self) -> CheckResult | None:
        """Return the failed result `failed_check` names, here or in a carried credential's."""
        if not self.failed_check:
            return None
        carried = (report._failed() for report in self.credentials)
        return self.find(self.failed_check) or next((found for found in carried if found), None)

    def _untrusted(self) -> CheckResult | None:
        """Return the first `untrusted` result here or in a carried credential's report."""
        mine = next((c for c in self.checks if c.status == CheckStatus.untrusted), None)
        carried = (report._untrusted() for report in self.credentials)
        return mine or next((found for found in carried if found), None)
