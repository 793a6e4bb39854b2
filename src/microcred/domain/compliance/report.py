"""The compliance report: what each rule found about one Specification."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Outcome(StrEnum):
    passed = "passed"
    failed = "failed"
    not_applicable = "not_applicable"


class ComplianceIssue(BaseModel):
    """One problem a designer can act on, e.g. rule MC-M07 on element 'workload'."""

    rule: str  # stable id: MC-M01..M11, MC-O01..O05, MC-X.., MC-P.., ESLP-..
    severity: Severity
    element: str  # dotted path into the Specification, e.g. "workload.ects"
    message: str
    source: str = ""  # "Annex I, mandatory element 7", "Annex II, principle 2", "E-SLP criterion 1"


class RuleResult(BaseModel):
    """The outcome of one rule; a failed rule carries the issues it found."""

    rule: str
    title: str
    severity: Severity
    element: str
    source: str
    profile: str  # "eu" (Council Recommendation), "eslp", "microbol"
    outcome: Outcome
    issues: list[ComplianceIssue] = Field(default_factory=list)


class ProfileVerdict(BaseModel):
    profile: str
    title: str
    compliant: bool
    errors: int
    warnings: int


class ComplianceReport(BaseModel):
    results: list[RuleResult]
    verdicts: list[ProfileVerdict]

    @property
    def issues(self) -> list[ComplianceIssue]:
        return [issue for result in self.results for issue in result.issues]

    def issues_for(self, profile: str = "eu") -> list[ComplianceIssue]:
        return [i for r in self.results if r.profile == profile for i in r.issues]

    @property
    def errors(self) -> list[ComplianceIssue]:
        return [i for i in self.issues_for("eu") if i.severity == Severity.error]

    @property
    def warnings(self) -> list[ComplianceIssue]:
        return [i for i in self.issues_for("eu") if i.severity == Severity.warning]

    def verdict(self, profile: str) -> ProfileVerdict:
        return next(v for v in self.verdicts if v.profile == profile)

    @property
    def compliant(self) -> bool:
        """True when the Council Recommendation profile has no errors."""
        return self.verdict("eu").compliant
