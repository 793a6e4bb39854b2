"""What a compliance rule is: an id, what it is about, and a small function that tests it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from microcred.domain.compliance.report import Severity
from microcred.domain.specification import Specification


@dataclass(frozen=True)
class Finding:
    """Something a rule found; element and severity default to the rule's own."""

    message: str
    element: str = ""
    severity: Severity | None = None


@dataclass(frozen=True)
class Context:
    """What a check needs besides the Specification: profile settings and today's date."""

    eslp_min_eqf: int = 5
    provider_is_hei: bool | None = None  # None: judge from the awarding bodies
    today: date = field(default_factory=date.today)


# A test returns its findings (empty: the rule passes), or None when the rule does not apply.
Test = Callable[[Specification, Context], list[Finding] | None]


@dataclass(frozen=True)
class Rule:
    """One compliance rule with a stable id, as listed in the rule catalogue."""

    id: str  # MC-M07, ESLP-01, ...
    title: str
    severity: Severity  # the severity of its findings unless a finding says otherwise
    element: str  # dotted path into the Specification
    source: str  # "Annex I, mandatory element 7", "E-SLP criterion 1", ...
    profile: str  # "eu", "eslp" or "microbol"
    test: Test
