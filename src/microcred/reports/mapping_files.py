"""The mapping report written to a folder: report.html, report.pdf, a CSV per table, one XLSX."""

from __future__ import annotations

from pathlib import Path

from microcred.reports.mapping_html import report_document
from microcred.reports.mapping_pdf import report_pdf
from microcred.reports.mapping_tables import mapping_tables
from microcred.reports.spreadsheets import table_csv, tables_xlsx
from microcred.services.mapping.summary import MappingSummary

WORKBOOK = "mapping.xlsx"


def write_report(summary: MappingSummary, folder: Path, lang: str = "en") -> list[Path]:
    """Return the files written to ``folder`` (created if needed), report.html first."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = mapping_tables(summary)
    written = {
        folder / "report.html": report_document(summary, lang).encode("utf-8"),
        folder / "report.pdf": report_pdf(summary, lang),
        **{folder / f"{t.name}.csv": table_csv(t).encode("utf-8") for t in tables},
        folder / WORKBOOK: tables_xlsx(tables),
    }
    for path, content in written.items():
        path.write_bytes(content)
    return list(written)
