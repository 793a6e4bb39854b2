"""``microcred spec``: check, import, export and list specifications.

``check`` reads a file and needs no database; ``import`` stores files only when every one of
them can be read (and, with ``--publish``, every one complies).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from microcred.cli.common import (
    EXIT_NOT_COMPLIANT,
    CommandError,
    MalformedInput,
    open_catalogue,
    translate_errors,
)
from microcred.cli.console import id_column, out, print_problems

if TYPE_CHECKING:
    from microcred.domain.compliance.report import ComplianceIssue, ComplianceReport
    from microcred.domain.specification import AwardingBody, Specification

spec_app = typer.Typer(help="Check, import, export and list specifications.", no_args_is_help=True)

PROFILE_ORDER = ("eu", "eslp", "microbol")


def register(app: typer.Typer) -> None:
    """Add ``microcred spec`` to the command line."""
    app.add_typer(spec_app, name="spec")


# --- reading specification files ---


def read_document(path: Path) -> Any:
    """Return the parsed content of a JSON or YAML file (chosen by suffix, else tried in turn)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a UTF-8 text file") from None
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonld"):
        return _parse_json(text, path)
    if suffix in (".yaml", ".yml"):
        return _parse_yaml(text, path)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return _parse_yaml(text, path)


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None


def _parse_yaml(text: str, path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise CommandError(f"{path}: not valid YAML ({problem}{at})") from None


# A catalogue entry (the demo's files): the specification under `specification`, with the
# slug of the institution that owns it and whether to publish it.
CATALOGUE_ENTRY_KEYS = frozenset({"specification", "institution", "publish"})


def _is_catalogue_entry(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("specification"), dict)
        and document.keys() <= CATALOGUE_ENTRY_KEYS
    )


def load_specification(path: Path) -> Specification:
    """Return the Specification in a file: a Specification as JSON/YAML (alone or as a
    catalogue entry), or an ELM credential."""
    return load_catalogue_entry(path)[0]


def load_catalogue_entry(path: Path) -> tuple[Specification, str | None]:
    """Return the Specification in a file and the institution a catalogue entry names as its
    owner (None for a plain specification or an ELM credential), reading the file once."""
    from microcred.domain.compliance.report import ComplianceIssue, Severity
    from microcred.domain.validation import SpecificationInvalid, parse_specification
    from microcred.formats.elm.importer import (
        ElmImportError,
        is_elm_credential,
        specification_from_elm,
    )

    document = read_document(path)
    owner = None
    if _is_catalogue_entry(document):
        named = document.get("institution")
        owner = named if isinstance(named, str) else None
        document = document["specification"]
    if not isinstance(document, dict):
        raise CommandError(
            f"{path}: expected a JSON or YAML object holding a specification, "
            f"got {type(document).__name__}"
        )
    try:
        if is_elm_credential(document):
            return specification_from_elm(document), None
        return parse_specification(document), owner
    except ElmImportError as error:
        raise MalformedInput(
            str(path),
            [
                ComplianceIssue(
                    rule="ELM",
                    severity=Severity.error,
                    element=error.path,
                    message=f"cannot read the ELM credential: {error.message}",
                )
            ],
        ) from None
    except SpecificationInvalid as invalid:
        raise MalformedInput(str(path), invalid.issues) from None


# --- spec check ---


@spec_app.command("check")
@translate_errors()
def spec_check(
    file: Path = typer.Argument(
        ..., metavar="FILE", help="A specification (JSON or YAML) or an ELM credential."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check a specification against the Council Recommendation, E-SLP and MICROBOL."""
    from microcred.config import Settings
    from microcred.domain.compliance import check
    from microcred.domain.specification import localise

    spec = load_specification(file)
    report = check(spec, eslp_min_eqf=Settings().eslp_min_eqf)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        print_report(localise(spec.title, "en") or str(file), report)
    if not report.compliant:
        raise typer.Exit(EXIT_NOT_COMPLIANT)


def print_report(title: str, report: ComplianceReport) -> None:
    """Print a compliance report: one section per profile, its verdict, then its issues."""
    from microcred.domain.compliance.report import Outcome

    console = out()
    console.print(f"[bold]{escape(title)}[/]")
    profiles = sorted(
        {result.profile for result in report.results},
        key=lambda p: PROFILE_ORDER.index(p) if p in PROFILE_ORDER else len(PROFILE_ORDER),
    )
    for profile in profiles:
        results = [r for r in report.results if r.profile == profile]
        verdict = next((v for v in report.verdicts if v.profile == profile), None)
        passed = sum(1 for r in results if r.outcome == Outcome.passed)
        heading = verdict.title if verdict else profile
        if verdict is None:
            state = ""
        elif verdict.compliant:
            state = "[green]compliant[/]"
        else:
            state = "[red]not compliant[/]"
        counts = (
            f"{verdict.errors} error(s), {verdict.warnings} warning(s), " if verdict else ""
        ) + f"{passed} of {len(results)} rules passed"
        console.print()
        console.print(f"[bold]{escape(heading)}[/]: {state} ({counts})")
        issues = [issue for r in results for issue in r.issues]
        if issues:
            console.print(_issue_table(issues))


def _issue_table(issues: list[ComplianceIssue]) -> Table:
    table = Table(show_lines=False, expand=False)
    table.add_column("rule", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("element", overflow="fold")
    table.add_column("message", overflow="fold")
    colours = {"error": "red", "warning": "yellow", "info": "blue"}
    for issue in issues:
        colour = colours.get(str(issue.severity), "white")
        table.add_row(issue.rule, f"[{colour}]{issue.severity}[/]", issue.element, issue.message)
    return table


# --- spec import / export / list ---


@spec_app.command("import")
@translate_errors()
def spec_import(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        ..., metavar="FILE", help="Specifications (JSON/YAML) or ELM credentials."
    ),
    institution: str | None = typer.Option(
        None,
        "--institution",
        metavar="SLUG",
        help="Owner of the imported specifications (default: the institution a catalogue "
        "entry names, else one made from the first awarding body).",
    ),
    publish: bool = typer.Option(False, "--publish", help="Publish each one after storing it."),
) -> None:
    """Store specifications in the catalogue; if any file is malformed, nothing is stored."""
    from microcred.config import Settings
    from microcred.domain.compliance import check

    entries = [(path, *load_catalogue_entry(path)) for path in files]
    specs = [(path, spec) for path, spec, _named in entries]
    if publish:
        for path, spec in specs:
            errors = check(spec, eslp_min_eqf=Settings().eslp_min_eqf).errors
            if errors:
                print_problems(f"{path} cannot be published (nothing was stored)", errors)
                raise typer.Exit(EXIT_NOT_COMPLIANT)
    catalogue = open_catalogue(ctx)
    known = {institution.slug for institution in catalogue.list_institutions()}
    owners = [_owner(known, institution or named, spec, path) for path, spec, named in entries]
    for slug, body in dict(owners).items():
        if slug not in known and body is not None:
            catalogue.ensure_institution(
                slug, body.name, country=body.country, is_higher_education=body.is_higher_education
            )
    table = Table(id_column(), "version", "status", "institution", "title", "file")
    for (path, spec), (owner, _) in zip(specs, owners, strict=True):
        record = catalogue.create(owner, spec)
        if publish:
            record = catalogue.publish(record.id)
        table.add_row(*_record_cells(record), escape(str(path)))
    out().print(table)


def _record_cells(record: Any) -> list[str]:
    """Return the cells every catalogue table starts with: id, version, status, owner, title."""
    from microcred.domain.specification import localise

    title = localise(record.specification.title, "en")
    return [record.id, str(record.version), str(record.status), record.institution, escape(title)]


def _owner(
    known: set[str], slug: str | None, spec: Specification, path: Path
) -> tuple[str, AwardingBody | None]:
    """Return the slug of the institution that will own ``spec``, and the body to create it from.

    An institution that does not exist yet is made from the first awarding body, so nothing
    is asked of the user that the file already says.
    """
    from microcred.domain.specification import localise

    if slug in known:
        return slug, None
    body = spec.awarding_bodies[0] if spec.awarding_bodies else None
    if body is None or not body.name:
        if slug is None:
            raise CommandError(f"{path}: it names no awarding body; give --institution SLUG")
        listed = ", ".join(sorted(known)) or "none yet"
        raise CommandError(
            f"no institution has the slug '{slug}' (known: {listed}), and {path} names no "
            "awarding body to create it from"
        )
    return slug or _slug(localise(body.name, "en")), body


def _slug(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-") or "imported"


@spec_app.command("export")
@translate_errors()
def spec_export(
    ctx: typer.Context,
    spec_id: str = typer.Argument(..., metavar="ID", help="The specification's id (UUID)."),
    version: int | None = typer.Option(
        None, "--version", help="A version number (default: latest)."
    ),
    output_format: str = typer.Option("json", "--format", help="json or yaml."),
) -> None:
    """Print a stored specification as JSON or YAML, ready to edit and import again."""
    import yaml

    if output_format not in ("json", "yaml"):
        raise CommandError(f"--format must be json or yaml, not '{output_format}'")
    record = open_catalogue(ctx).get(spec_id, version)
    data = record.specification.model_dump(mode="json", exclude_defaults=True)
    if output_format == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), nl=False)


@spec_app.command("list")
@translate_errors()
def spec_list(
    ctx: typer.Context,
    text: str | None = typer.Option(None, "--text", help="Part of a title, in any language."),
    status: str | None = typer.Option(None, "--status", help="draft, published or archived."),
    institution: str | None = typer.Option(None, "--institution", metavar="SLUG"),
    eqf: int | None = typer.Option(None, "--eqf", help="EQF level 1-8."),
    isced_f: str | None = typer.Option(None, "--isced-f", help="ISCED-F code or prefix."),
    limit: int = typer.Option(100, "--limit", min=1, max=1000),
) -> None:
    """List the catalogue's specifications (the latest version of each)."""
    from pydantic import ValidationError

    from microcred.services.catalogue import CatalogueQuery

    try:
        query = CatalogueQuery.model_validate(
            {
                "text": text,
                "status": status,
                "institution": institution,
                "eqf": eqf,
                "isced_f": isced_f,
                "limit": limit,
            }
        )
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or "query"
        raise CommandError(f"--{field.replace('_', '-')}: {problem['msg']}") from None
    records = open_catalogue(ctx).search(query)
    table = Table(id_column(), "v", "status", "institution", "title", "ECTS", "EQF", "EU")
    for record in records:
        spec = record.specification
        ects = spec.workload.ects
        eqf_uri = spec.level.eqf or ""
        table.add_row(
            *_record_cells(record),
            f"{ects:g}" if ects is not None else "",
            eqf_uri.rsplit("/", 1)[-1],
            "[green]compliant[/]" if record.compliant else f"[red]{record.errors} error(s)[/]",
        )
    out().print(table)
    out().print(f"{len(records)} specification(s)")
