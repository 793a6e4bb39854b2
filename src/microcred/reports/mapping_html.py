"""The mapping report as HTML: the body the web page embeds, or a whole standalone document."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from microcred import i18n
from microcred.domain.specification import localise
from microcred.reports.mapping_sections import definition_titles, report_sections
from microcred.reports.svg import figure_svg
from microcred.services.mapping.characteristics import category_label
from microcred.services.mapping.classification import DEFINITIONS
from microcred.services.mapping.summary import MappingSummary

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = TEMPLATES / "mapping_report.css"


@cache
def _environment() -> Environment:
    env = i18n.template_environment(TEMPLATES)
    env.filters["svg"] = lambda figure: Markup(figure_svg(figure))
    env.filters["localise"] = localise
    return env


def report_body(summary: MappingSummary, lang: str = "en", downloads: str | None = None) -> str:
    """Return the report's HTML body: totals, every section with its chart and table.

    ``downloads`` is the query string of the web page's download links (None: no links).
    """
    i18n.set_language(lang)
    return (
        _environment()
        .get_template("mapping_report.html")
        .render(
            summary=summary,
            sections=report_sections(summary, lang),
            definitions=DEFINITIONS,
            definition_titles=definition_titles(),
            label_of=lambda family: category_label("label", family),
            lang=lang,
            downloads=downloads,
        )
    )


def report_document(summary: MappingSummary, lang: str = "en") -> str:
    """Return a standalone HTML document of the report (styles inline, no scripts)."""
    body = report_body(summary, lang)
    return (
        _environment()
        .get_template("mapping_document.html")
        .render(
            body=Markup(body),
            style=Markup(STYLESHEET.read_text(encoding="utf-8")),
            lang=lang,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )
