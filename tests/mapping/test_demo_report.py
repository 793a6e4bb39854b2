"""The report of the demo survey: counts checked against the files read without microcred."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from mapping_support import demo_rows
from pypdf import PdfReader

from microcred.reports.mapping_files import write_report
from microcred.reports.mapping_html import report_document
from microcred.services.mapping import MappingSummary, classify_all, summarise
from microcred.services.mapping.demo import read_demo_survey

BAD_ROWS = {("lindenau.csv", 9), ("lowlands.csv", 7)}  # 'tbd' ECTS, EQF 10
HEADERS = {  # each file's own header for the institution, title, label and ECTS
    "lindenau.csv": ("Kurstitel", "Angebotsform", "ECTS-Punkte"),
    "montesol.xlsx": ("Denominación del programa", "Tipo de titulación", "Créditos ECTS"),
    "valsorda.csv": ("Titolo del corso", "Tipologia", "CFU"),
    "koivula.xlsx": ("Programme title", "Offer type", "Credits"),
    "lowlands.csv": ("Programme", "Credential type", "ECTS"),
    "steinach.csv": ("Titel", "Abschluss", None),
}


@pytest.fixture(scope="module")
def summary() -> MappingSummary:
    survey = read_demo_survey()
    return summarise(classify_all(survey.programmes), survey.problems)


def good_rows() -> dict[str, list[dict[str, str]]]:
    """Return each file's readable rows as {header: cell}, the two bad rows left out."""
    files: dict[str, list[dict[str, str]]] = {}
    for name, rows in demo_rows().items():
        files[name] = [
            dict(zip(rows[0], row, strict=False))
            for number, row in enumerate(rows[1:], start=2)
            if (name, number) not in BAD_ROWS
        ]
    return files


def test_demo_survey_has_six_institutions_and_sixty_six_programmes(
    summary: MappingSummary,
) -> None:
    files = good_rows()
    assert sum(len(rows) for rows in files.values()) == 66
    assert summary.programmes == 66
    assert sorted(i.programmes for i in summary.institutions) == sorted(
        len(rows) for rows in files.values()
    )
    countries = {p.provider.country for p in read_demo_survey().programmes}
    assert countries == {"DE", "ES", "FI", "NL", "AT", None}  # Valsorda's file names none


def test_country_is_missing_exactly_where_a_file_has_no_country_column(
    summary: MappingSummary,
) -> None:
    files = good_rows()
    without = [
        name for name, rows in files.items() if not {"Land", "País", "Country"} & set(rows[0])
    ]
    assert without == ["valsorda.csv"]
    assert dict(summary.missing)["MC-M03"] == len(files["valsorda.csv"])


def test_the_two_bad_rows_are_reported_with_their_row_numbers(summary: MappingSummary) -> None:
    assert {(p.source, p.row) for p in summary.problems} == BAD_ROWS
    assert all(p.reason for p in summary.problems)


def test_hours_only_count_matches_the_rows_without_ects(summary: MappingSummary) -> None:
    expected = sum(
        1
        for name, rows in good_rows().items()
        for row in rows
        if HEADERS[name][2] is None or not row[HEADERS[name][2]].strip()
    )
    assert summary.distributions["ects"].counts["hours-only"] == expected


def test_own_label_count_matches_the_labels_saying_micro(summary: MappingSummary) -> None:
    expected = sum(
        1
        for name, rows in good_rows().items()
        for row in rows
        if "micro" in row[HEADERS[name][1]].casefold()
    )
    assert summary.meets["own_label"] == expected


def test_ects_histogram_counts_every_programme_with_credits_once(summary: MappingSummary) -> None:
    with_credits = [
        float(row[HEADERS[name][2]].replace(",", "."))
        for name, rows in good_rows().items()
        if HEADERS[name][2]
        for row in rows
        if row[HEADERS[name][2]].strip()
    ]
    counts = summary.distributions["ects"].counts
    assert sum(n for key, n in counts.items() if key.startswith("ects-")) == len(with_credits)
    assert counts["ects-30"] == sum(1 for ects in with_credits if ects >= 30)


def test_html_report_has_an_accessible_chart_per_section_and_the_counts(
    summary: MappingSummary,
) -> None:
    html = report_document(summary)
    charts = re.findall(r'<svg [^>]*role="img"[^>]*aria-labelledby="([^" ]+) ([^"]+)"', html)
    assert len(charts) == 14
    for title_id, desc_id in charts:
        assert f'<title id="{title_id}">' in html and f'<desc id="{desc_id}">' in html
    assert "66 programmes" in html and "6 institutions" in html
    assert "2 rows could not be read" in html
    # One table beside each chart, then own labels, every programme, the refused rows.
    assert html.count("<table") == 14 + 3
    assert "<script" not in html


def test_report_files_hold_the_same_counts(summary: MappingSummary, tmp_path: Path) -> None:
    written = {path.name for path in write_report(summary, tmp_path)}
    assert {"report.html", "report.pdf", "programmes.csv", "mapping.xlsx"} <= written

    programmes = list(csv.DictReader(io.StringIO((tmp_path / "programmes.csv").read_text())))
    assert len(programmes) == 66
    definitions = {
        row["institution"]: row
        for row in csv.DictReader(io.StringIO((tmp_path / "definitions.csv").read_text()))
    }
    assert int(definitions["all"]["eu_met"]) == sum(p["meets_eu"] == "yes" for p in programmes)
    assert int(definitions["all"]["eu_met"]) == summary.meets["eu"]
    problems = list(csv.DictReader(io.StringIO((tmp_path / "import_problems.csv").read_text())))
    assert {(p["file"], int(p["row"])) for p in problems} == BAD_ROWS

    workbook = openpyxl.load_workbook(tmp_path / "mapping.xlsx", read_only=True)
    assert workbook.sheetnames == [
        "programmes", "definitions", "missing_elements", "characteristics", "import_problems",
    ]  # fmt: skip
    assert workbook["programmes"].max_row == 67


def test_pdf_report_is_a_valid_pdf_with_the_charts_drawn(
    summary: MappingSummary, tmp_path: Path
) -> None:
    write_report(summary, tmp_path)
    reader = PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) >= 5
    text = "\n".join(page.extract_text() for page in reader.pages)
    lindenau = next(i for i in summary.institutions if i.slug == "hochschule-lindenau")
    # The heat map's cell text and the histogram's axis are drawn as text in the PDF.
    assert f"{lindenau.meets['eu']}/{lindenau.programmes}" in text
    assert "ECTS credits (each bar includes its lower bound)" in text
    assert "Mandatory elements missing" in text
    assert "Università di Valsorda" in text
