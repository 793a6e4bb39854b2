"""The recurring characteristics of programmes: each programme's category for each of them.

A characteristic turns a Specification into the categories it falls in (several for modes,
assessment types, fields; one for the others). Categories are stable keys (a vocabulary URI,
"eqf-6", "ects-5", "not-stated"); ``category_label`` gives what a person reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from microcred.domain.specification import Specification
from microcred.domain.vocabularies import QF_EHEA_CYCLE_TO_EQF, eqf_number, label
from microcred.i18n import _
from microcred.services.mapping.labels import FAMILIES, label_family

NOT_STATED = "not-stated"
HOURS_ONLY = "hours-only"
ECTS_BIN = 2.5  # width of one bar of the ECTS histogram
ECTS_TOP = 30  # the last bar holds everything from here up
PRICE_BANDS = (0, 500, 1000, 2000)  # EUR; 0 is "free"
DURATION_BANDS = (4, 8, 13, 26)  # weeks


@dataclass(frozen=True)
class Characteristic:
    key: str
    title: str  # English; translated where shown
    categories: Callable[[Specification], list[str]]
    order: tuple[str, ...] = ()  # categories always shown, in this order (others follow)


def ects_categories(spec: Specification) -> list[str]:
    ects = spec.workload.ects
    if ects is None:
        return [HOURS_ONLY if spec.workload.hours is not None else NOT_STATED]
    low = min(ects // ECTS_BIN * ECTS_BIN, ECTS_TOP)
    return [f"ects-{low:g}"]


ECTS_ORDER = tuple(f"ects-{n * ECTS_BIN:g}" for n in range(int(ECTS_TOP / ECTS_BIN) + 1))


def eqf_categories(spec: Specification) -> list[str]:
    number = eqf_number(spec.level.eqf) if spec.level.eqf else None
    if number is None and spec.level.qf_ehea_cycle is not None:
        number = QF_EHEA_CYCLE_TO_EQF[spec.level.qf_ehea_cycle]
    return [f"eqf-{number}" if number else NOT_STATED]


def field_categories(spec: Specification) -> list[str]:
    broad = {uri.rsplit("/", 1)[0] + "/" + uri.rsplit("/", 1)[1][:2] for uri in spec.isced_f}
    return sorted(broad) or [NOT_STATED]


def _listed(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values)) or [NOT_STATED]


def qa_categories(spec: Specification) -> list[str]:
    qa = spec.quality_assurance
    flags = [
        name
        for name, given in (("qa-internal", qa.internal), ("qa-external", qa.external),
                            ("qa-esg", qa.esg_compliant))
        if given
    ]  # fmt: skip
    return _listed([*qa.types, *flags])


def stackability_categories(spec: Specification) -> list[str]:
    kind = spec.stackability.kind
    return [f"stack-{kind.value}" if kind else NOT_STATED]


def price_categories(spec: Specification) -> list[str]:
    price = spec.price
    if price is None or price.amount is None:
        return [NOT_STATED]
    if price.amount == 0:
        return ["price-free"]
    if price.currency not in (None, "EUR"):
        return ["price-other-currency"]
    low = max(band for band in PRICE_BANDS if band <= price.amount)
    return [f"price-{low}"]


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def duration_weeks(iso: str | None) -> float | None:
    """Return an ISO 8601 duration in weeks (a month is 4.35 weeks), None if not given."""
    match = _DURATION.match(iso or "")
    if not match:
        return None
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return years * 52.18 + months * 4.35 + weeks + days / 7


def duration_categories(spec: Specification) -> list[str]:
    weeks = duration_weeks(spec.duration)
    if weeks is None:
        return [NOT_STATED]
    for band in DURATION_BANDS:
        if weeks <= band:
            return [f"weeks-{band}"]
    return ["weeks-more"]


CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic("ects", "Workload (ECTS)", ects_categories,
                   (*ECTS_ORDER, HOURS_ONLY, NOT_STATED)),
    Characteristic("eqf", "EQF level", eqf_categories,
                   (*(f"eqf-{n}" for n in range(1, 9)), NOT_STATED)),
    Characteristic("field", "Field of study (ISCED-F broad field)", field_categories),
    Characteristic("mode", "Form of participation", lambda s: _listed(s.participation.modes)),
    Characteristic("assessment", "Type of assessment", lambda s: _listed(s.assessment.types)),
    Characteristic("quality", "Quality assurance", qa_categories),
    Characteristic("stackability", "Stackability", stackability_categories,
                   ("stack-integrated_stackable", "stack-standalone", NOT_STATED)),
    Characteristic("price", "Price", price_categories,
                   ("price-free", *(f"price-{b}" for b in PRICE_BANDS), "price-other-currency",
                    NOT_STATED)),
    Characteristic("duration", "Duration", duration_categories,
                   (*(f"weeks-{b}" for b in DURATION_BANDS), "weeks-more", NOT_STATED)),
    Characteristic("label", "The institution's own label",
                   lambda s: [label_family(s.local_label)], FAMILIES),
    Characteristic("language", "Language of instruction",
                   lambda s: _listed(s.languages_of_instruction)),
)  # fmt: skip
CHARACTERISTICS_BY_KEY = {c.key: c for c in CHARACTERISTICS}


def _family_names() -> dict[str, str]:
    return {
        "micro-credential": _("micro-credential"),
        "mooc": _("MOOC"),
        "short-learning-programme": _("short learning programme"),
        "attendance": _("certificate of attendance"),
        "diploma": _("diploma"),
        "certificate": _("certificate"),
        "professional-course": _("professional course"),
        "other": _("other label"),
        "none": _("no label"),
    }


def category_label(characteristic: str, category: str, lang: str = "en") -> str:
    """Return what a person reads for a category, in the current interface language."""
    if category == NOT_STATED:
        return _("not stated")
    if category == HOURS_ONLY:
        return _("hours only")
    if characteristic == "label":
        return _family_names().get(category, category)
    if characteristic == "language":
        return label(category, lang) if "/" in category else category
    prefix, _sep, rest = category.partition("-")
    if prefix == "ects":
        low = float(rest)
        if low >= ECTS_TOP:
            return _("{low:g} or more").format(low=low)
        return f"{low:g}–{low + ECTS_BIN:g}"
    if prefix == "eqf":
        return _("EQF {level}").format(level=rest)
    if prefix == "qa":
        return {
            "internal": _("internal QA"),
            "external": _("external review"),
            "esg": _("QA under the ESG"),
        }[rest]
    if prefix == "stack":
        return _("stackable") if rest == "integrated_stackable" else _("stand-alone")
    if prefix == "price":
        return _price_label(rest)
    if prefix == "weeks":
        return _duration_label(rest)
    return label(category, lang)


def _price_label(band: str) -> str:
    if band == "free":
        return _("free")
    if band == "other-currency":
        return _("priced in another currency")
    low = int(band)
    higher = [b for b in PRICE_BANDS if b > low]
    if not higher:
        return _("{low} EUR or more").format(low=f"{low:,}")
    if low == 0:
        return _("under {high} EUR").format(high=f"{higher[0]:,}")
    return _("{low}–{high} EUR").format(low=f"{low:,}", high=f"{higher[0] - 1:,}")


def _duration_label(band: str) -> str:
    if band == "more":
        return _("over {weeks} weeks").format(weeks=DURATION_BANDS[-1])
    high = int(band)
    lower = [b for b in DURATION_BANDS if b < high]
    if not lower:
        return _("up to {weeks} weeks").format(weeks=high)
    return _("{low}–{high} weeks").format(low=lower[-1] + 1, high=high)
