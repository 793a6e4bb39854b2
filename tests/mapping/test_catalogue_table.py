"""Reading catalogue tables: header variants, column mapping, hours, and bad rows reported."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from microcred.formats.catalogue.headers import ColumnMapping, match_headers
from microcred.formats.catalogue.programmes import TableContent
from microcred.formats.catalogue.reading import read_catalogue_table
from microcred.formats.catalogue.template import template_csv, template_xlsx


def read_catalogue_file(path: Path, mapping: ColumnMapping | None = None) -> TableContent:
    with path.open("rb") as stream:
        return read_catalogue_table(path.name, stream, mapping)


def write(tmp_path: Path, text: str, name: str = "catalogue.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Credits", ("ects", None)),
        ("ECTS-Punkte", ("ects", None)),
        ("Workload (h)", ("hours", None)),
        ("Arbeitsaufwand (h)", ("hours", None)),
        ("Kurstitel", ("title", None)),
        ("Title (de)", ("title", "de")),
        ("learning_outcomes_fi", ("learning_outcomes", "fi")),
        ("EQF level", ("eqf", None)),
        ("Lernform", ("modes", None)),
    ],
)
def test_common_header_variants_are_matched(header: str, column: tuple[str, str | None]) -> None:
    assert match_headers([header], ColumnMapping()) == {0: column}


def test_unknown_header_is_not_guessed() -> None:
    assert match_headers(["Bemerkungen intern"], ColumnMapping()) == {}


def test_hours_are_kept_as_hours_and_never_turned_into_ects(tmp_path: Path) -> None:
    path = write(tmp_path, "Institution,Title,Workload (h)\nUni A,Welding basics,40\n")
    [programme] = read_catalogue_file(path).programmes
    assert programme.specification.workload.hours == 40
    assert programme.specification.workload.ects is None


def test_bad_rows_are_reported_with_row_number_and_reason_and_good_rows_kept(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "Institution;Title;ECTS;EQF\n"
        "Uni A;Good course;5;6\n"
        "Uni A;Credits unknown;five;6\n"
        "Uni A;Level out of range;5;11\n"
        ";No provider;5;6\n"
        "\n"
        "Uni A;Another good one;2,5;\n",
    )
    content = read_catalogue_file(path)
    titles = [p.specification.title["en"] for p in content.programmes]
    assert titles == ["Good course", "Another good one"]
    assert content.programmes[1].specification.workload.ects == 2.5
    problems = {p.row: p.reason for p in content.problems}
    assert set(problems) == {3, 4, 5}
    assert "ects: 'five' is not a number" in problems[3]
    assert "level.eqf" in problems[4] and "'11'" in problems[4]
    assert problems[5].startswith("no institution")


def test_file_without_a_title_column_is_one_problem_naming_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "Institution,Kursbezeichnung intern\nUni A,Something\n")
    content = read_catalogue_file(path)
    assert content.programmes == []
    [problem] = content.problems
    assert "title column" in problem.reason and "--column title=" in problem.reason


def test_column_mapping_reads_headers_the_matching_does_not_know(tmp_path: Path) -> None:
    path = write(tmp_path, "Ente,Denominazione,CFU\nAteneo X,Restauro,6\n")
    assert read_catalogue_file(path).programmes == []
    mapping = ColumnMapping.from_data(
        {"columns": {"institution": "Ente", "title": ["Denominazione"]}}
    )
    [programme] = read_catalogue_file(path, mapping).programmes
    assert programme.provider.slug == "ateneo-x"
    assert programme.specification.workload.ects == 6


def test_mapping_to_a_column_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="'credits_total' is not a template column"):
        ColumnMapping.from_data({"credits_total": "Credits"})


def test_field_code_whose_leading_zero_a_spreadsheet_dropped_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Institution", "Title", "ISCED-F", "ECTS"])
    workbook.active.append(["Uni A", "Software", 613, 5])
    workbook.save(path)
    [programme] = read_catalogue_file(path).programmes
    assert programme.specification.isced_f == ["http://data.europa.eu/snb/isced-f/0613"]


def test_free_text_values_become_vocabulary_concepts(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Hochschule;Kurstitel;Lernform;Prüfungsform;Dauer;Preis\n"
        "Uni A;Kurs;Präsenz;Mündliche Prüfung;3 Monate;1.200 €\n",
    )
    spec = read_catalogue_file(path).programmes[0].specification
    assert spec.participation.modes == ["http://data.europa.eu/snb/learning-assessment/9191af2ed9"]
    assert spec.assessment.types == ["http://data.europa.eu/snb/assessment/d30284d7df"]
    assert spec.duration == "P3M"
    assert spec.price is not None and (spec.price.amount, spec.price.currency) == (1200, "EUR")


def test_csv_template_reads_back_as_one_programme(tmp_path: Path) -> None:
    content = read_catalogue_file(write(tmp_path, template_csv(), "template.csv"))
    assert content.problems == []
    [programme] = content.programmes
    assert programme.specification.workload.ects == 5
    assert programme.specification.local_label == "Hochschulzertifikat"


def test_xlsx_template_reads_its_programmes_sheet_and_skips_the_column_guide(
    tmp_path: Path,
) -> None:
    path = tmp_path / "template.xlsx"
    path.write_bytes(template_xlsx())
    assert openpyxl.load_workbook(io.BytesIO(path.read_bytes())).sheetnames == [
        "programmes",
        "columns",
    ]
    content = read_catalogue_file(path)
    assert [p.specification.title["de"] for p in content.programmes] == [
        "Data Literacy for Public Administration"
    ]
    assert content.problems == []


def test_every_template_column_is_documented() -> None:
    from microcred.formats.catalogue.columns import COLUMNS

    doc = (Path(__file__).parents[2] / "docs" / "catalogue-template.md").read_text()
    assert [c.name for c in COLUMNS if f"| `{c.name}` |" not in doc] == []
