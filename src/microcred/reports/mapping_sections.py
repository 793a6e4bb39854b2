"""The mapping report's sections: for each, a heading, a sentence, a chart and its data table.

The HTML page and the PDF are both drawn from these sections, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.domain.compliance import RULES_BY_ID
from microcred.domain.specification import localise
from microcred.i18n import _
from microcred.reports.charts import bar_chart, heat_map, histogram
from microcred.reports.figure import Figure
from microcred.services.mapping.characteristics import (
    CHARACTERISTICS,
    ECTS_BIN,
    HOURS_ONLY,
    NOT_STATED,
    category_label,
)
from microcred.services.mapping.classification import DEFINITIONS
from microcred.services.mapping.summary import Distribution, MappingSummary

Cell = str | int | float


@dataclass(frozen=True)
class DataTable:
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    figure: Figure | None
    table: DataTable


def definition_titles() -> dict[str, str]:
    return {
        "eu": _("Council Recommendation (Annex I)"),
        "eslp": _("E-SLP (EADTU)"),
        "microbol": _("MICROBOL"),
        "own_label": _("Called a micro-credential"),
    }


def element_title(rule: str) -> str:
    return _(RULES_BY_ID[rule].title)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def institution_names(summary: MappingSummary, lang: str) -> dict[str, str]:
    return {item.slug: localise(item.name, lang) or item.slug for item in summary.institutions}


def definitions_section(summary: MappingSummary, lang: str) -> Section:
    titles = definition_titles()
    names = institution_names(summary, lang)
    rows = [names[item.slug] for item in summary.institutions] + [_("All institutions")]
    counts = [(item.meets, item.programmes) for item in summary.institutions]
    counts.append((summary.meets, summary.programmes))
    cells = [[(meets[d], total) for d in DEFINITIONS] for meets, total in counts]
    description = "; ".join(
        f"{row}: "
        + ", ".join(
            f"{titles[d]} {met}/{of}" for d, (met, of) in zip(DEFINITIONS, line, strict=True)
        )
        for row, line in zip(rows, cells, strict=True)
    )
    figure = heat_map(
        "chart-definitions",
        _("Programmes meeting each definition, per institution"),
        description,
        rows,
        [titles[d] for d in DEFINITIONS],
        cells,
    )
    table = DataTable(
        [_("Institution"), _("Programmes"), *(titles[d] for d in DEFINITIONS)],
        [
            [row, total, *(f"{meets[d]} ({percent(meets[d], total)})" for d in DEFINITIONS)]
            for row, (meets, total) in zip(rows, counts, strict=True)
        ],
    )
    intro = _(
        "How many programmes meet each definition. The Council Recommendation counts the "
        "Annex I elements a programme description can show (the learner and the date of "
        "issuing are on each credential) and a volume under 60 ECTS; a missing level is "
        "allowed ('if applicable'). The Commission's consultation group (2021) definition is "
        "not classified: the reference microcred follows does not state it."
    )
    return Section("definitions", _("Definitions met"), intro, figure, table)


def missing_section(summary: MappingSummary, mandatory: bool) -> Section:
    total = summary.programmes
    missing = [(rule, n) for rule, n in summary.missing if rule.startswith("MC-M") == mandatory]
    bars = [(element_title(rule), count) for rule, count in missing]
    if mandatory:
        key, title = "missing-mandatory", _("Mandatory elements missing")
        intro = _(
            "Which of the Recommendation's mandatory elements the catalogues leave out, most "
            "often first."
        )
    else:
        key, title = "missing-optional", _("Optional elements missing")
        intro = _("Which of the optional elements of Annex I the catalogues leave out.")
    figure = bar_chart(
        f"chart-{key}", title, "; ".join(f"{label}: {count}" for label, count in bars), bars, total
    )
    table = DataTable(
        [_("Element"), _("Rule"), _("Programmes lacking it"), _("Share")],
        [[element_title(rule), rule, count, percent(count, total)] for rule, count in missing],
    )
    return Section(key, title, intro, figure, table)


def ects_section(summary: MappingSummary) -> Section:
    counts = summary.distributions["ects"].counts
    bins = [
        (float(key.removeprefix("ects-")), count)
        for key, count in counts.items()
        if key.startswith("ects-")
    ]
    hours_only, not_stated = counts.get(HOURS_ONLY, 0), counts.get(NOT_STATED, 0)
    note = _("{hours} programmes state hours only; {none} state no workload.").format(
        hours=hours_only, none=not_stated
    )
    figure = histogram(
        "chart-ects",
        _("Workload in ECTS credits"),
        "; ".join(f"{category_label('ects', k, 'en')}: {n}" for k, n in counts.items())
        + ". "
        + note,
        bins,
        ECTS_BIN,
        _("ECTS credits (each bar includes its lower bound)"),
    )
    table = DataTable(
        [_("ECTS"), _("Programmes")],
        [[category_label("ects", key), count] for key, count in counts.items()],
    )
    intro = _("How large the programmes are. Workloads given in hours are kept as hours.")
    return Section("ects", _("Workload"), f"{intro} {note}", figure, table)


def characteristic_section(key: str, title: str, distribution: Distribution, lang: str) -> Section:
    bars = [
        (category_label(key, category, lang), count)
        for category, count in distribution.counts.items()
    ]
    figure = bar_chart(
        f"chart-{key}",
        _(title),
        "; ".join(f"{label}: {count}" for label, count in bars),
        bars,
        distribution.programmes,
    )
    table = DataTable(
        [_(title), _("Programmes"), _("Share")],
        [[label, count, percent(count, distribution.programmes)] for label, count in bars],
    )
    several = key in ("field", "mode", "assessment", "quality", "language")
    intro = _("A programme may count in several rows.") if several else ""
    return Section(key, _(title), intro, figure, table)


def label_section(summary: MappingSummary) -> Section:
    rows: list[list[Cell]] = [
        [category_label("label", family), total, f"{met} ({percent(met, total)})"]
        for family, total, met in summary.label_against_eu()
    ]
    table = DataTable([_("Own label"), _("Programmes"), _("Meet the Council Recommendation")], rows)
    intro = _(
        "What the institutions call their offers, against whether the offers meet the "
        "Council Recommendation."
    )
    return Section("label-against-eu", _("Own label and the EU definition"), intro, None, table)


def report_sections(summary: MappingSummary, lang: str = "en") -> list[Section]:
    """Return every section of the mapping report, in reading order."""
    sections = [
        definitions_section(summary, lang),
        missing_section(summary, mandatory=True),
        missing_section(summary, mandatory=False),
        ects_section(summary),
    ]
    for characteristic in CHARACTERISTICS:
        if characteristic.key == "ects":
            continue
        sections.append(
            characteristic_section(
                characteristic.key,
                characteristic.title,
                summary.distributions[characteristic.key],
                lang,
            )
        )
    sections.append(label_section(summary))
    return sections
