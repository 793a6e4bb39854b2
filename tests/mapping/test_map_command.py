"""``microcred map``: the report files from the command line, and clear errors for bad options."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.services.catalogue import Catalogue, CatalogueQuery
from microcred.store.database import Database

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_map_demo_writes_the_report_and_lists_the_refused_rows(tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", "--demo", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output  # two rows could not be read
    names = {path.name for path in (tmp_path / "out").iterdir()}
    assert {"report.html", "report.pdf", "programmes.csv", "characteristics.csv"} <= names
    assert "mapping.xlsx" in names
    assert "lindenau.csv, row 9" in result.output and "lowlands.csv, row 7" in result.output
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF")


def test_map_with_institution_column_and_store_adds_drafts(tmp_path: Path) -> None:
    catalogue_file = tmp_path / "offers.csv"
    catalogue_file.write_text("Anbieterin,Titel,Credits\nFH Nord,Kurs A,5\nFH Nord,Kurs B,3\n")
    url = f"sqlite:///{tmp_path / 'map.db'}"
    result = runner.invoke(
        app, ["--db", url, "map", str(catalogue_file), "--institution-column", "Anbieterin",
              "--store"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 draft(s) added" in result.output
    assert Catalogue(Database(url)).count(CatalogueQuery(institution="fh-nord")) == 2


def test_map_without_an_output_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", "--demo"])
    assert result.exit_code == 2
    assert "--out DIR" in result.output


def test_bad_column_option_names_the_expected_form(tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", "--demo", "--out", str(tmp_path), "--column", "title"])
    assert result.exit_code == 2
    assert "NAME=HEADER" in result.output
    assert not (tmp_path / "report.html").exists()


def test_template_is_written_as_a_workbook(tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", "--template", str(tmp_path / "template.xlsx")])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "template.xlsx")["programmes"]
    assert [cell.value for cell in sheet[1]][:2] == ["institution", "institution_country"]
