"""Run every rule of the catalogue on a Specification and give the report with its verdicts."""

from __future__ import annotations

from datetime import date

from microcred.domain.compliance.catalogue import PROFILES, RULES
from microcred.domain.compliance.report import (
    ComplianceIssue,
    ComplianceReport,
    Outcome,
    ProfileVerdict,
    RuleResult,
    Severity,
)
from microcred.domain.compliance.rule import Context, Rule
from microcred.domain.specification import Specification
from microcred.i18n import _


def run_rule(rule: Rule, spec: Specification, context: Context) -> RuleResult:
    """Return the result of one rule: passed, failed (with its issues) or not applicable."""
    findings = rule.test(spec, context)
    issues = [
        ComplianceIssue(
            rule=rule.id,
            severity=finding.severity or rule.severity,
            element=finding.element or rule.element,
            message=finding.message,
            source=rule.source,
        )
        for finding in findings or []
    ]
    if findings is None:
        outcome = Outcome.not_applicable
    elif any(issue.severity != Severity.info for issue in issues):
        outcome = Outcome.failed
    else:
        outcome = Outcome.passed
    return RuleResult(
        rule=rule.id,
        title=_(rule.title),
        severity=rule.severity,
        element=rule.element,
        source=rule.source,
        profile=rule.profile,
        outcome=outcome,
        issues=issues,
    )


def _verdict(profile: str, results: list[RuleResult]) -> ProfileVerdict:
    issues = [issue for result in results if result.profile == profile for issue in result.issues]
    errors = sum(issue.severity == Severity.error for issue in issues)
    warnings = sum(issue.severity == Severity.warning for issue in issues)
    return ProfileVerdict(
        profile=profile,
        title=_(PROFILES[profile]),
        compliant=errors == 0,
        errors=errors,
        warnings=warnings,
    )


def check(
    spec: Specification,
    *,
    eslp_min_eqf: int = 5,
    provider_is_hei: bool | None = None,
    today: date | None = None,
) -> ComplianceReport:
    """Return the compliance report of ``spec``: every rule's result and a verdict per profile.

    ``provider_is_hei`` overrides the awarding bodies' own flag for E-SLP; ``today`` is the
    date review dates are compared with (the current date by default).
    """
    context = Context(
        eslp_min_eqf=eslp_min_eqf,
        provider_is_hei=provider_is_hei,
        today=today or date.today(),
    )
    results = [run_rule(rule, spec, context) for rule in RULES]
    return ComplianceReport(
        results=results, verdicts=[_verdict(profile, results) for profile in PROFILES]
    )
