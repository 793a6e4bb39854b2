"""The mapping's tables for CSV and XLSX: one row per programme, and the counts behind every
chart, overall and per institution. Headers are stable English names for scripts."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.domain.specification import localise
from microcred.domain.vocabularies import eqf_number, label
from microcred.services.mapping.characteristics import CHARACTERISTICS, category_label
from microcred.services.mapping.classification import DEFINITIONS, ELEMENTS, Classification
from microcred.services.mapping.summary import Distribution, MappingSummary

Cell = str | int | float | None
ALL = "all"


@dataclass(frozen=True)
class Table:
    name: str  # file and sheet name
    headers: list[str]
    rows: list[list[Cell]]


def _labels(uris: list[str]) -> str:
    return "; ".join(label(uri, "en") for uri in uris)


def _programme_row(item: Classification) -> list[Cell]:
    spec = item.specification
    price = spec.price
    return [
        item.institution,
        item.programme.place,
        localise(spec.title, "en"),
        spec.local_label,
        item.label_family,
        spec.workload.ects,
        spec.workload.hours,
        eqf_number(spec.level.eqf) if spec.level.eqf else None,
        "; ".join(uri.rsplit("/", 1)[-1] for uri in spec.isced_f),
        _labels(spec.participation.modes),
        _labels(spec.assessment.types),
        _labels(spec.quality_assurance.types),
        spec.stackability.kind.value if spec.stackability.kind else None,
        price.amount if price else None,
        price.currency if price else None,
        spec.duration,
        "; ".join(spec.languages_of_instruction),
        *("yes" if item.meets[d] else "no" for d in DEFINITIONS),
        "; ".join(item.missing),
        "; ".join(item.unmet["eslp"]),
        "; ".join(item.unmet["microbol"]),
    ]


def programmes_table(summary: MappingSummary) -> Table:
    headers = [
        "institution", "source", "title", "local_label", "label_family", "ects", "hours", "eqf",
        "isced_f", "modes", "assessment", "quality_assurance", "stackability", "price",
        "currency", "duration", "languages", *(f"meets_{d}" for d in DEFINITIONS),
        "missing_elements", "unmet_eslp", "unmet_microbol",
    ]  # fmt: skip
    return Table("programmes", headers, [_programme_row(i) for i in summary.classifications])


def definitions_table(summary: MappingSummary) -> Table:
    headers = ["institution", "programmes"]
    for d in DEFINITIONS:
        headers += [f"{d}_met", f"{d}_share"]
    groups = [(i.slug, i.programmes, i.meets) for i in summary.institutions]
    groups.append((ALL, summary.programmes, summary.meets))
    rows: list[list[Cell]] = []
    for slug, total, meets in groups:
        row: list[Cell] = [slug, total]
        for d in DEFINITIONS:
            row += [meets[d], round(meets[d] / total, 3) if total else None]
        rows.append(row)
    return Table("definitions", headers, rows)


def missing_table(summary: MappingSummary) -> Table:
    slugs = [i.slug for i in summary.institutions]
    rows: list[list[Cell]] = [
        [rule, "mandatory" if rule.startswith("MC-M") else "optional", count,
         *(summary.missing_by_institution[slug][rule] for slug in slugs)]
        for rule, count in summary.missing
    ]  # fmt: skip
    rows.sort(key=lambda row: list(ELEMENTS).index(str(row[0])))
    return Table("missing_elements", ["rule", "kind", ALL, *slugs], rows)


def _distribution_rows(scope: str, distribution: Distribution) -> list[list[Cell]]:
    key, total = distribution.characteristic, distribution.programmes
    return [
        [scope, key, category, category_label(key, category, "en"), count,
         round(count / total, 3) if total else None]
        for category, count in distribution.counts.items()
    ]  # fmt: skip


def characteristics_table(summary: MappingSummary) -> Table:
    rows: list[list[Cell]] = []
    for characteristic in CHARACTERISTICS:
        rows += _distribution_rows(ALL, summary.distributions[characteristic.key])
        for slug, distributions in sorted(summary.by_institution.items()):
            rows += _distribution_rows(slug, distributions[characteristic.key])
    headers = ["scope", "characteristic", "category", "label", "programmes", "share"]
    return Table("characteristics", headers, rows)


def problems_table(summary: MappingSummary) -> Table:
    rows: list[list[Cell]] = [[p.source, p.row, p.reason] for p in summary.problems]
    return Table("import_problems", ["file", "row", "reason"], rows)


def mapping_tables(summary: MappingSummary) -> list[Table]:
    """Return every table of the mapping, programmes first."""
    return [
        programmes_table(summary),
        definitions_table(summary),
        missing_table(summary),
        characteristics_table(summary),
        problems_table(summary),
    ]
