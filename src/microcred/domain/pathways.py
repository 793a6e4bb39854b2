"""Pathways: the rules by which smaller credentials stack into a larger one, and their evaluation.

A pathway names the specification of the stacked credential (its *target*) and one
requirement, a tree of these nodes:

- ``component``: a credential of one specification (ours, by its id);
- ``matching``: credentials from anywhere matching a criterion (issuer in the trusted
  registry, ESCO skills or ISCED-F field, minimum ECTS each, or one of named badge classes:
  an Open Badges 2.0 BadgeClass or an OB 3.0 achievement, by id), at least ``count`` of them;
- ``all_of`` / ``n_of``: every child, or at least ``n`` of them; within a group a
  credential counts once (components take theirs first);
- ``min_ects``: the child is met and the credentials it used add up to at least ``ects``;
- ``min_eqf``: the child is met by credentials at EQF ``level`` or above only;
- ``within``: the child is met by credentials awarded between two dates, and/or all within
  ``days`` of each other;
- ``pathway``: another pathway, met by its stacked credential or by its own requirement.

Evaluation is pure: it takes the credentials a learner holds (already verified) and returns,
node by node, whether it is met, by which credentials, and what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

ISCED_F = "http://data.europa.eu/snb/isced-f/"


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(Rule):
    kind: Literal["component"] = "component"
    specification_id: str = Field(min_length=1)
    title: str = ""  # shown in progress; the catalogue's title when left empty


class Criterion(Rule):
    """What a credential from anywhere must show to count toward a ``matching`` requirement."""

    trusted_issuer: bool = True  # the issuer must be in the trusted-issuer registry
    esco_skills: list[str] = Field(default_factory=list)  # at least one of these skills
    isced_f: list[str] = Field(default_factory=list)  # a field code or a broader one (prefix)
    min_ects: float | None = Field(default=None, ge=0)  # each credential at least this
    # The credential is one of these badges: an OB 2.0 BadgeClass or OB 3.0 achievement id.
    badge_classes: list[str] = Field(default_factory=list)


class Matching(Rule):
    kind: Literal["matching"] = "matching"
    criterion: Criterion = Field(default_factory=Criterion)
    count: int = Field(default=1, ge=1)
    title: str = ""


class AllOf(Rule):
    kind: Literal["all_of"] = "all_of"
    items: list[Requirement] = Field(min_length=1)


class NOf(Rule):
    kind: Literal["n_of"] = "n_of"
    n: int = Field(ge=1)
    items: list[Requirement] = Field(min_length=1)


class MinEcts(Rule):
    kind: Literal["min_ects"] = "min_ects"
    ects: float = Field(gt=0)
    of: Requirement


class MinEqf(Rule):
    kind: Literal["min_eqf"] = "min_eqf"
    level: int = Field(ge=1, le=8)
    of: Requirement


class Within(Rule):
    kind: Literal["within"] = "within"
    of: Requirement
    start: date | None = None
    end: date | None = None
    days: int | None = Field(default=None, ge=1)  # the awards span at most this many days


class NestedPathway(Rule):
    kind: Literal["pathway"] = "pathway"
    pathway_id: str = Field(min_length=1)


Requirement = Annotated[
    Component | Matching | AllOf | NOf | MinEcts | MinEqf | Within | NestedPathway,
    Field(discriminator="kind"),
]
for _model in (AllOf, NOf, MinEcts, MinEqf, Within):
    _model.model_rebuild()


class Pathway(BaseModel):
    """A stacked credential and the requirement a learner's credentials must meet to earn it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    institution: str
    title: dict[str, str]
    target_specification_id: str  # the specification the stacked credential is awarded from
    requirement: Requirement
    auto_award: bool = True


class HeldCredential(BaseModel):
    """What a pathway looks at in one verified credential a learner holds."""

    model_config = ConfigDict(frozen=True)

    id: str
    issuer: str
    title: str = ""
    specification_id: str | None = None  # ours: the specification it was awarded from
    badge_class: str | None = None  # the OB 2.0 BadgeClass or OB 3.0 achievement it records
    ects: float | None = None
    eqf: int | None = None
    isced_f: list[str] = Field(default_factory=list)
    esco_skills: list[str] = Field(default_factory=list)
    awarded_on: date | None = None
    trusted: bool = False  # its issuer is in the trusted-issuer registry
    digest: str = ""  # SHA-256 of the credential as held (hex)


class Outcome(BaseModel):
    """How one requirement fared: met or not, the credentials it used, what is missing."""

    kind: str
    label: str
    met: bool
    used: list[str] = Field(default_factory=list)  # credential ids
    missing: list[str] = Field(default_factory=list)
    children: list[Outcome] = Field(default_factory=list)


class PathwayError(ValueError):
    """A pathway that cannot be evaluated or stored as given; the message says what to fix."""


Lookup = Callable[[str], Pathway | None]


def evaluate(
    pathway: Pathway,
    held: Iterable[HeldCredential],
    *,
    pathways: Lookup | Mapping[str, Pathway] | None = None,
    spec_titles: Mapping[str, str] | None = None,
) -> Outcome:
    """Return the outcome of ``pathway`` for the credentials ``held``.

    ``pathways`` finds nested pathways by id; ``spec_titles`` names components in messages.
    Raises `PathwayError` for a nested pathway that is unknown or that nests itself.
    """
    lookup = _lookup(pathways)
    evaluator = _Evaluator(lookup, spec_titles or {})
    return evaluator.pathway(pathway, list(held), (pathway.id,))


def used_credentials(outcome: Outcome) -> list[str]:
    """Return the ids of the credentials a met outcome rests on, each once, in order."""
    return list(dict.fromkeys(outcome.used))


def check_pathway(pathway: Pathway, pathways: Lookup | Mapping[str, Pathway]) -> list[str]:
    """Return the problems of a pathway's definition: unknown or circular nesting, n too big."""
    lookup = _lookup(pathways)
    problems: list[str] = []

    def walk(node: Requirement, where: str, seen: tuple[str, ...]) -> None:
        if isinstance(node, NOf) and node.n > len(node.items):
            problems.append(f"{where}: n is {node.n} but there are only {len(node.items)} items")
        if isinstance(node, Within) and node.start and node.end and node.start > node.end:
            problems.append(f"{where}: start {node.start} is after end {node.end}")
        if isinstance(node, NestedPathway):
            if node.pathway_id in seen:
                problems.append(f"{where}: pathway {node.pathway_id} would contain itself")
                return
            nested = lookup(node.pathway_id)
            if nested is None:
                problems.append(f"{where}: no pathway has the id {node.pathway_id}")
                return
            walk(nested.requirement, f"{where}→{node.pathway_id}", (*seen, node.pathway_id))
        for index, child in enumerate(_children(node)):
            walk(child, f"{where}.{index}" if isinstance(node, AllOf | NOf) else where, seen)

    walk(pathway.requirement, "requirement", (pathway.id,))
    return problems


def component_ids(requirement: Requirement) -> list[str]:
    """Return the specification ids a requirement names as components (nested ones excluded)."""
    found: list[str] = []
    if isinstance(requirement, Component):
        found.append(requirement.specification_id)
    for child in _children(requirement):
        found += component_ids(child)
    return list(dict.fromkeys(found))


def criteria_of(requirement: Requirement) -> list[Criterion]:
    """Return every ``matching`` criterion in a requirement (for catalogue suggestions)."""
    found = [requirement.criterion] if isinstance(requirement, Matching) else []
    for child in _children(requirement):
        found += criteria_of(child)
    return found


def matches(credential: HeldCredential, criterion: Criterion) -> bool:
    """True when ``credential`` shows what ``criterion`` asks."""
    if criterion.trusted_issuer and not credential.trusted:
        return False
    if criterion.min_ects is not None and (credential.ects or 0) < criterion.min_ects:
        return False
    if criterion.badge_classes and credential.badge_class not in criterion.badge_classes:
        return False
    if criterion.esco_skills and not set(criterion.esco_skills) & set(credential.esco_skills):
        return False
    if criterion.isced_f:
        fields = [_isced_code(code) for code in criterion.isced_f]
        held = [_isced_code(code) for code in credential.isced_f]
        if not any(code.startswith(field) for field in fields for code in held):
            return False
    return True


def total_ects(credentials: Iterable[HeldCredential]) -> float:
    return sum(credential.ects or 0 for credential in credentials)


def _isced_code(value: str) -> str:
    return value.removeprefix(ISCED_F).strip()


def _children(node: Requirement) -> Sequence[Requirement]:
    if isinstance(node, AllOf | NOf):
        return node.items
    if isinstance(node, MinEcts | MinEqf | Within):
        return [node.of]
    return []


def _lookup(pathways: Lookup | Mapping[str, Pathway] | None) -> Lookup:
    if pathways is None:
        return lambda _id: None
    if isinstance(pathways, Mapping):
        return pathways.get
    return pathways


class _Evaluator:
    def __init__(self, lookup: Lookup, spec_titles: Mapping[str, str]) -> None:
        self.lookup = lookup
        self.spec_titles = spec_titles

    def pathway(
        self, pathway: Pathway, pool: list[HeldCredential], seen: tuple[str, ...]
    ) -> Outcome:
        inner = self.node(pathway.requirement, pool, seen)
        title = next(iter(pathway.title.values()), pathway.id)
        return Outcome(
            kind="pathway",
            label=title,
            met=inner.met,
            used=inner.used,
            missing=inner.missing,
            children=[inner],
        )

    def node(self, node: Requirement, pool: list[HeldCredential], seen: tuple[str, ...]) -> Outcome:
        if isinstance(node, Component):
            return self.component(node, pool)
        if isinstance(node, Matching):
            return self.matching(node, pool)
        if isinstance(node, AllOf | NOf):
            return self.group(node, pool, seen)
        if isinstance(node, MinEcts):
            return self.min_ects(node, pool, seen)
        if isinstance(node, MinEqf):
            return self.min_eqf(node, pool, seen)
        if isinstance(node, Within):
            return self.within(node, pool, seen)
        return self.nested(node, pool, seen)

    def component(self, node: Component, pool: list[HeldCredential]) -> Outcome:
        title = node.title or self.spec_titles.get(node.specification_id, node.specification_id)
        found = [c for c in pool if c.specification_id == node.specification_id]
        if not found:
            return Outcome(kind=node.kind, label=title, met=False, missing=[f"«{title}»"])
        newest = max(found, key=lambda c: c.awarded_on or date.min)
        return Outcome(kind=node.kind, label=title, met=True, used=[newest.id])

    def matching(self, node: Matching, pool: list[HeldCredential]) -> Outcome:
        label = node.title or _describe(node.criterion)
        found = [c for c in pool if matches(c, node.criterion)]
        if len(found) >= node.count:
            return Outcome(kind=node.kind, label=label, met=True, used=[c.id for c in found])
        lacking = node.count - len(found)
        what = "credential" if lacking == 1 else "credentials"
        return Outcome(
            kind=node.kind,
            label=label,
            met=False,
            used=[c.id for c in found],
            missing=[f"{lacking} more {what} {_describe(node.criterion)}"],
        )

    def group(
        self, node: AllOf | NOf, pool: list[HeldCredential], seen: tuple[str, ...]
    ) -> Outcome:
        # Components claim their credentials first, so a broad criterion elsewhere in the
        # group cannot take a credential a named component needs.
        order = sorted(range(len(node.items)), key=lambda i: node.items[i].kind != "component")
        results: dict[int, Outcome] = {}
        available = list(pool)
        for index in order:
            outcome = self.node(node.items[index], available, seen)
            results[index] = outcome
            if outcome.met:
                taken = set(outcome.used)
                available = [c for c in available if c.id not in taken]
        children = [results[i] for i in range(len(node.items))]
        needed = len(node.items) if isinstance(node, AllOf) else node.n
        met_children = [child for child in children if child.met]
        label = "all of" if isinstance(node, AllOf) else f"{node.n} of {len(node.items)}"
        used = [cid for child in met_children for cid in child.used]
        if len(met_children) >= needed:
            return Outcome(kind=node.kind, label=label, met=True, used=used, children=children)
        missing = [m for child in children if not child.met for m in child.missing]
        if isinstance(node, NOf):
            lacking = needed - len(met_children)
            missing = [f"{lacking} more of: " + "; ".join(missing)]
        return Outcome(
            kind=node.kind, label=label, met=False, used=used, missing=missing, children=children
        )

    def min_ects(self, node: MinEcts, pool: list[HeldCredential], seen: tuple[str, ...]) -> Outcome:
        inner = self.node(node.of, pool, seen)
        by_id = {c.id: c for c in pool}
        total = total_ects(by_id[cid] for cid in dict.fromkeys(inner.used) if cid in by_id)
        label = f"at least {_number(node.ects)} ECTS"
        missing = list(inner.missing)
        if total < node.ects:
            missing.append(f"{_number(node.ects - total)} more ECTS (have {_number(total)})")
        return Outcome(
            kind=node.kind,
            label=label,
            met=inner.met and total >= node.ects,
            used=inner.used,
            missing=missing,
            children=[inner],
        )

    def min_eqf(self, node: MinEqf, pool: list[HeldCredential], seen: tuple[str, ...]) -> Outcome:
        eligible = [c for c in pool if c.eqf is not None and c.eqf >= node.level]
        inner = self.node(node.of, eligible, seen)
        below = [c.title or c.id for c in pool if c not in eligible]
        missing = list(inner.missing)
        if not inner.met and below:
            missing.append(f"below EQF {node.level} (not counted): " + ", ".join(below))
        return Outcome(
            kind=node.kind,
            label=f"at EQF level {node.level} or above",
            met=inner.met,
            used=inner.used,
            missing=missing,
            children=[inner],
        )

    def within(self, node: Within, pool: list[HeldCredential], seen: tuple[str, ...]) -> Outcome:
        eligible = [c for c in pool if _in_window(c.awarded_on, node.start, node.end)]
        inner = self.node(node.of, eligible, seen)
        missing = list(inner.missing)
        met = inner.met
        if node.days is not None and inner.used:
            by_id = {c.id: c for c in eligible}
            found = (by_id[cid].awarded_on for cid in inner.used)
            dates = [day for day in found if day is not None]
            if dates and (max(dates) - min(dates)).days > node.days:
                met = False
                missing.append(f"the credentials must be awarded within {node.days} days")
        return Outcome(
            kind=node.kind,
            label=_window_label(node),
            met=met,
            used=inner.used,
            missing=missing,
            children=[inner],
        )

    def nested(
        self, node: NestedPathway, pool: list[HeldCredential], seen: tuple[str, ...]
    ) -> Outcome:
        if node.pathway_id in seen:
            raise PathwayError(f"pathway {node.pathway_id} contains itself")
        nested = self.lookup(node.pathway_id)
        if nested is None:
            raise PathwayError(f"no pathway has the id {node.pathway_id}")
        label = next(iter(nested.title.values()), nested.id)
        stacked = [c for c in pool if c.specification_id == nested.target_specification_id]
        if stacked:
            return Outcome(kind=node.kind, label=label, met=True, used=[stacked[0].id])
        inner = self.pathway(nested, pool, (*seen, nested.id))
        return inner.model_copy(update={"kind": node.kind})


def _in_window(awarded: date | None, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    if awarded is None:
        return False
    return (start is None or awarded >= start) and (end is None or awarded <= end)


def _window_label(node: Within) -> str:
    parts = []
    if node.start or node.end:
        parts.append(f"awarded {node.start or '…'} to {node.end or '…'}")
    if node.days:
        parts.append(f"within {node.days} days of each other")
    return ", ".join(parts) or "any time"


def _describe(criterion: Criterion) -> str:
    parts = []
    if criterion.badge_classes:
        parts.append("of badge " + " or ".join(criterion.badge_classes))
    if criterion.isced_f:
        parts.append("in field " + " or ".join(_isced_code(code) for code in criterion.isced_f))
    if criterion.esco_skills:
        parts.append(f"with one of {len(criterion.esco_skills)} ESCO skills")
    if criterion.min_ects is not None:
        parts.append(f"of at least {_number(criterion.min_ects)} ECTS")
    if criterion.trusted_issuer:
        parts.append("from a trusted issuer")
    return ", ".join(parts) or "of any kind"


def _number(value: float) -> str:
    return f"{value:g}"
