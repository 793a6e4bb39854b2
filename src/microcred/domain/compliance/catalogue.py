"""The rule catalogue: every compliance rule microcred checks, and the profiles they belong to."""

from __future__ import annotations

from microcred.domain.compliance.cross_field import CROSS_FIELD
from microcred.domain.compliance.eslp import ESLP
from microcred.domain.compliance.mandatory import MANDATORY
from microcred.domain.compliance.microbol import MICROBOL
from microcred.domain.compliance.optional import OPTIONAL
from microcred.domain.compliance.principles import PRINCIPLES
from microcred.domain.compliance.rule import Rule

RULES: list[Rule] = [*MANDATORY, *OPTIONAL, *CROSS_FIELD, *PRINCIPLES, *ESLP, *MICROBOL]

PROFILES: dict[str, str] = {
    "eu": "Council Recommendation 2022/C 243/02",
    "eslp": "E-SLP (EADTU European Short Learning Programmes)",
    "microbol": "MICROBOL (micro-credentials in the EHEA)",
}

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
