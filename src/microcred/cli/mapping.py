"""``microcred map``: map programme catalogues against the EU definition and write the report.

    microcred map catalogues/*.csv catalogues/*.xlsx --out mapping/
    microcred map --demo --out mapping/          # the shipped demo survey
    microcred map --demo --store                 # add it to the catalogue as drafts
    microcred map --template catalogue-template.xlsx

Rows that cannot be read are listed with file, row and reason; the exit code is then 1 (the
report is still written from the rows that could be read). Bad options exit with 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from microcred.cli.common import CommandError, open_catalogue, translate_errors
from microcred.cli.console import err, out

if TYPE_CHECKING:
    from microcred.formats.catalogue.headers import ColumnMapping
    from microcred.formats.catalogue.programmes import ImportedProgramme, RowProblem
    from microcred.services.mapping.summary import MappingSummary

EXIT_ROWS_REFUSED = 1


def register(app: typer.Typer) -> None:
    """Add ``microcred map`` to the command line."""
    app.command("map")(map_command)


def _column_mapping(
    mapping_file: Path | None, columns: list[str], institution: str | None
) -> ColumnMapping:
    """Return the mapping file's columns joined with --column and --institution-column."""
    import yaml

    from microcred.formats.catalogue.headers import ColumnMapping

    mapping = ColumnMapping()
    try:
        if mapping_file is not None:
            text = mapping_file.read_text(encoding="utf-8")
            data = json.loads(text) if mapping_file.suffix == ".json" else yaml.safe_load(text)
            mapping = ColumnMapping.from_data(data)
        pairs: dict[str, list[str]] = {}
        for given in columns:
            name, equals, header = given.partition("=")
            if not equals or not name.strip() or not header.strip():
                raise ValueError(f"--column '{given}' must read NAME=HEADER, e.g. title=Kursname")
            pairs.setdefault(name.strip(), []).append(header.strip())
        if institution:
            pairs.setdefault("institution", []).append(institution)
        return mapping.merged(ColumnMapping.from_data(pairs))
    except (ValueError, yaml.YAMLError) as error:
        raise CommandError(f"column mapping: {error}") from None


@translate_errors()
def map_command(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        None, metavar="FILES...", help="Catalogues: .csv, .xlsx, .json (specifications) or EDC."
    ),
    out_dir: Path | None = typer.Option(
        None, "--out", metavar="DIR", help="Write report.html, report.pdf, CSV tables, XLSX."
    ),
    institution_column: str | None = typer.Option(
        None, "--institution-column", metavar="HEADER", help="The header naming the institution."
    ),
    column: list[str] = typer.Option(
        [], "--column", metavar="NAME=HEADER", help="Map a header to a template column."
    ),
    mapping_file: Path | None = typer.Option(
        None, "--mapping", metavar="FILE", help="Column mapping (YAML or JSON)."
    ),
    demo: bool = typer.Option(False, "--demo", help="Map the shipped demo survey."),
    store: bool = typer.Option(
        False, "--store", help="Also add the programmes to the catalogue as drafts."
    ),
    template: Path | None = typer.Option(
        None, "--template", metavar="FILE", help="Write the column template (.csv or .xlsx)."
    ),
    eslp_min_eqf: int = typer.Option(5, "--eslp-min-eqf", min=1, max=8),
    lang: str = typer.Option("en", "--lang", help="Language of the report: en or de."),
) -> None:
    """Map programme catalogues against the EU definition of a micro-credential."""
    if template is not None:
        _write_template(template)
        if not (files or demo):
            return
    from microcred.services.mapping import classify_all, read_catalogues, summarise
    from microcred.services.mapping.demo import demo_files, demo_mapping

    paths = list(files or [])
    mapping = _column_mapping(mapping_file, column, institution_column)
    if demo:
        paths += demo_files()
        mapping = demo_mapping().merged(mapping)
    if not paths:
        raise CommandError("give catalogue FILES (or --demo)")
    if out_dir is None and not store:
        raise CommandError("say what to do: --out DIR writes the report, --store adds drafts")
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise CommandError(f"no such file: {', '.join(missing)}")
    survey = read_catalogues(paths, mapping)
    problems = list(survey.problems)
    if store:
        problems += _store(ctx, survey.programmes)
    summary = summarise(classify_all(survey.programmes, eslp_min_eqf=eslp_min_eqf), problems)
    _print_summary(summary)
    if out_dir is not None:
        from microcred.reports.mapping_files import write_report

        written = write_report(summary, out_dir, lang)
        out().print(f"Wrote {len(written)} files to {escape(str(out_dir))}/: "
                    + ", ".join(path.name for path in written))  # fmt: skip
    if problems:
        _print_problems(problems)
        raise typer.Exit(EXIT_ROWS_REFUSED)


def _store(ctx: typer.Context, programmes: list[ImportedProgramme]) -> list[RowProblem]:
    from microcred.services.mapping import store_programmes

    result = store_programmes(open_catalogue(ctx, "upgrade"), programmes)
    out().print(f"Catalogue: {len(result.created)} draft(s) added, "
                f"{len(result.existing)} already present.")  # fmt: skip
    return result.problems


def _print_summary(summary: MappingSummary) -> None:
    from microcred.reports.mapping_sections import definition_titles

    titles = definition_titles()
    table = Table("institution", "programmes", *titles.values())
    rows = [(i.slug, i.programmes, i.meets) for i in summary.institutions]
    rows.append(("all", summary.programmes, summary.meets))
    for slug, total, meets in rows:
        table.add_row(escape(slug), str(total), *(f"{meets[d]}" for d in titles))
    out().print(table)


def _print_problems(problems: list[RowProblem]) -> None:
    err().print(f"[bold red]{len(problems)} row(s) could not be read:[/]")
    for problem in problems:
        err().print(f"  {escape(problem.place)}: {escape(problem.reason)}")


def _write_template(path: Path) -> None:
    from microcred.formats.catalogue.template import template_csv, template_xlsx

    if path.suffix.lower() == ".xlsx":
        path.write_bytes(template_xlsx())
    elif path.suffix.lower() == ".csv":
        path.write_text(template_csv(), encoding="utf-8")
    else:
        raise CommandError(f"--template {path}: the file must end in .csv or .xlsx")
    out().print(f"Wrote the column template to {escape(str(path))}")
