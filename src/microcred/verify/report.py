"""The verification report: one result per named check, and the verdict they add up to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    # The check could not be made (a key or status list could not be fetched, the time or
    # work budget ran out, something unsupported): neither passed nor failed.
    indeterminate = "indeterminate"


class Verdict(StrEnum):
    verified = "verified"
    verified_untrusted_issuer = "verified_untrusted_issuer"
    failed = "failed"
    indeterminate = "indeterminate"


class Outcome(StrEnum):
    """What a verification established: three answers a caller must never confuse."""

    verified = "verified"  # every required check passed
    invalid = "invalid"  # a check failed: forged, revoked, expired, malformed
    indeterminate = "indeterminate"  # no check failed, but one could not be made


class Trust(StrEnum):
    """Whether the (proven) issuer is one this verifier trusts; separate from the outcome."""

    trusted = "trusted"
    untrusted = "untrusted"
    unknown = "unknown"  # the issuer was not established (its check did not run or pass)


_OUTCOMES = {
    Verdict.verified: Outcome.verified,
    Verdict.verified_untrusted_issuer: Outcome.verified,
    Verdict.failed: Outcome.invalid,
    Verdict.indeterminate: Outcome.indeterminate,
}
# Which verdict of several wins (a presentation's, a credential's): the worst first.
VERDICT_PRECEDENCE = (
    Verdict.failed,
    Verdict.indeterminate,
    Verdict.verified_untrusted_issuer,
    Verdict.verified,
)
# The checks that judge whether the issuer (an EDC's sealer) is trusted.
TRUST_CHECKS = ("issuer_trust", "seal")


@dataclass(frozen=True)
class Said:
    """A reason kept as its English message (a gettext id) and its values, so a page can put
    it into the viewer's language; `str()` gives the English sentence the API returns."""

    message: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % dict(self.values) if self.values else self.message


def said(message: str, **values: Any) -> Said:
    """Return a translatable reason: ``message`` (marked with ``N_``) with its ``values``."""
    return Said(message, values)


Reason = str | Said


class CheckResult(BaseModel):
    """The outcome of one check: its name, ok / failed / skipped / ..., and why.

    `message` and `values` (not part of the JSON) keep a translatable reason apart from its
    values; a reason given as plain text has none and is shown as it is.
    """

    name: str
    status: CheckStatus
    reason: str
    details: dict[str, Any] = Field(default_factory=dict)
    message: str | None = Field(default=None, exclude=True)
    values: dict[str, Any] = Field(default_factory=dict, exclude=True)


def result(name: str, status: CheckStatus, reason: Reason, details: dict[str, Any]) -> CheckResult:
    """Return one check's result; a `Said` reason keeps its message and values for translation."""
    if isinstance(reason, Said):
        return CheckResult(
            name=name,
            status=status,
            reason=str(reason),
            details=details,
            message=reason.message,
            values=dict(reason.values),
        )
    return CheckResult(name=name, status=status, reason=reason, details=details)


def ok(name: str, reason: Reason, **details: Any) -> CheckResult:
    return result(name, CheckStatus.ok, reason, details)


def failed(name: str, reason: Reason, **details: Any) -> CheckResult:
    return result(name, CheckStatus.failed, reason, details)


def skipped(name: str, reason: Reason, **details: Any) -> CheckResult:
    return result(name, CheckStatus.skipped, reason, details)


def indeterminate(name: str, reason: Reason, **details: Any) -> CheckResult:
    return result(name, CheckStatus.indeterminate, reason, details)


class VerificationReport(BaseModel):
    """Every check run on one credential (or presentation), and the verdict.

    `outcome` (verified / invalid / indeterminate) and `trust` (trusted / untrusted / unknown)
    are what a caller decides on; `verdict` and `verified` stay for existing readers.
    `failed_check` names the first check that failed, or when none failed the first that could
    not be made.
    """

    verdict: Verdict
    failed_check: str | None = None
    checks: list[CheckResult]
    credentials: list[VerificationReport] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outcome(self) -> Outcome:
        """Verified, invalid (a check failed) or indeterminate (a check could not be made)."""
        return _OUTCOMES[self.verdict]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def trust(self) -> Trust:
        """Trusted when every issuer proven here is trusted, untrusted when one is not."""
        found = self._trust_results()
        if any(result.status == CheckStatus.untrusted for result in found):
            return Trust.untrusted
        if found and all(result.status == CheckStatus.ok for result in found):
            return Trust.trusted
        return Trust.unknown

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verified(self) -> bool:
        """True when every required check passed (the issuer may still be untrusted)."""
        return self.outcome == Outcome.verified

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
        said = "failed" if self.verdict == Verdict.failed else "could not be checked"
        return f"{said}: {self.failed_check}: {culprit.reason}" if culprit else said

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

    def _trust_results(self) -> list[CheckResult]:
        """Return the issuer trust results of every credential here (a seal's trust included)."""
        mine = [c for c in self.checks if c.name in TRUST_CHECKS]
        return mine + [found for report in self.credentials for found in report._trust_results()]

    def _untrusted(self) -> CheckResult | None:
        """Return the first `untrusted` result here or in a carried credential's report."""
        mine = next((c for c in self.checks if c.status == CheckStatus.untrusted), None)
        carried = (report._untrusted() for report in self.credentials)
        return mine or next((found for found in carried if found), None)
