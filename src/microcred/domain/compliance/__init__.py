"""Compliance of a Specification with the Council Recommendation, E-SLP and MICROBOL.

``check(spec)`` runs every rule in ``RULES`` and returns a ``ComplianceReport``.
"""

from microcred.domain.compliance.catalogue import PROFILES, RULES, RULES_BY_ID
from microcred.domain.compliance.check import check
from microcred.domain.compliance.report import (
    ComplianceIssue,
    ComplianceReport,
    Outcome,
    ProfileVerdict,
    RuleResult,
    Severity,
)
from microcred.domain.compliance.rule import Rule

__all__ = [
    "PROFILES",
    "RULES",
    "RULES_BY_ID",
    "ComplianceIssue",
    "ComplianceReport",
    "Outcome",
    "ProfileVerdict",
    "Rule",
    "RuleResult",
    "Severity",
    "check",
]
