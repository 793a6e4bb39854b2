"""The mapping summed up: definitions met, elements missing and characteristics, overall and
per institution. Pure functions over classifications; no database needed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from microcred.formats.catalogue.programmes import RowProblem
from microcred.services.mapping.characteristics import (
    CHARACTERISTICS,
    CHARACTERISTICS_BY_KEY,
    HOURS_ONLY,
    NOT_STATED,
)
from microcred.services.mapping.classification import DEFINITIONS, ELEMENTS, Classification
from microcred.services.mapping.labels import FAMILIES

# Categories shown only when some programme falls in them.
OCCASIONAL = {NOT_STATED, HOURS_ONLY, "price-other-currency", "other", "none"}


@dataclass(frozen=True)
class Distribution:
    """How many programmes fall in each category of one characteristic (in display order)."""

    characteristic: str
    counts: dict[str, int]
    programmes: int  # programmes counted (a programme may fall in several categories)


@dataclass(frozen=True)
class InstitutionSummary:
    slug: str
    name: dict[str, str]
    programmes: int
    meets: dict[str, int]  # definition -> programmes meeting it


@dataclass
class MappingSummary:
    """Everything the mapping report shows."""

    classifications: list[Classification]
    problems: list[RowProblem] = field(default_factory=list)
    institutions: list[InstitutionSummary] = field(default_factory=list)
    meets: dict[str, int] = field(default_factory=dict)
    missing: list[tuple[str, int]] = field(default_factory=list)  # element rule id, programmes
    distributions: dict[str, Distribution] = field(default_factory=dict)
    by_institution: dict[str, dict[str, Distribution]] = field(default_factory=dict)
    missing_by_institution: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def programmes(self) -> int:
        return len(self.classifications)

    def label_against_eu(self) -> list[tuple[str, int, int]]:
        """Return (label family, programmes, of which meet the Recommendation), most first."""
        totals: Counter[str] = Counter()
        meeting: Counter[str] = Counter()
        for item in self.classifications:
            totals[item.label_family] += 1
            meeting[item.label_family] += item.meets["eu"]
        return [(family, totals[family], meeting[family]) for family in FAMILIES if totals[family]]


def distribution(key: str, classifications: Iterable[Classification]) -> Distribution:
    """Return the distribution of characteristic ``key`` over ``classifications``."""
    characteristic = CHARACTERISTICS_BY_KEY[key]
    counts: Counter[str] = Counter()
    programmes = 0
    for item in classifications:
        programmes += 1
        counts.update(set(characteristic.categories(item.specification)))
    return Distribution(key, _ordered(counts, characteristic.order), programmes)


def _ordered(counts: Counter[str], order: tuple[str, ...]) -> dict[str, int]:
    if not order:  # most frequent first, "not stated" last
        ranked = sorted(counts.items(), key=lambda item: (item[0] == NOT_STATED, -item[1], item[0]))
        return dict(ranked)
    scale = [category for category in order if category not in OCCASIONAL]
    filled = [index for index, category in enumerate(scale) if counts[category]]
    kept = scale[filled[0] : filled[-1] + 1] if filled else []
    ordered = {category: counts[category] for category in kept}
    ordered |= {c: counts[c] for c in order if c in OCCASIONAL and counts[c]}
    ordered |= {c: n for c, n in counts.items() if c not in ordered}  # categories not foreseen
    return ordered


def missing_elements(classifications: Iterable[Classification]) -> dict[str, int]:
    """Return, for every Annex I element, how many programmes lack it."""
    counts = Counter(rule for item in classifications for rule in item.missing)
    return {rule: counts[rule] for rule in ELEMENTS}


def summarise(
    classifications: list[Classification], problems: Iterable[RowProblem] = ()
) -> MappingSummary:
    """Return the summary of a mapping: overall, per institution, and the problems met."""
    groups: dict[str, list[Classification]] = {}
    for item in classifications:
        groups.setdefault(item.institution, []).append(item)
    institutions = [
        InstitutionSummary(
            slug=slug,
            name=dict(members[0].programme.provider.name),
            programmes=len(members),
            meets={d: sum(item.meets[d] for item in members) for d in DEFINITIONS},
        )
        for slug, members in sorted(groups.items())
    ]
    missing = missing_elements(classifications)
    return MappingSummary(
        classifications=classifications,
        problems=list(problems),
        institutions=institutions,
        meets={d: sum(item.meets[d] for item in classifications) for d in DEFINITIONS},
        missing=sorted(missing.items(), key=lambda item: -item[1]),
        distributions={c.key: distribution(c.key, classifications) for c in CHARACTERISTICS},
        by_institution={
            slug: {c.key: distribution(c.key, members) for c in CHARACTERISTICS}
            for slug, members in groups.items()
        },
        missing_by_institution={
            slug: missing_elements(members) for slug, members in groups.items()
        },
    )
