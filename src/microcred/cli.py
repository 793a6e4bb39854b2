"""The ``microcred`` command: check, import, export and list specifications; serve the web app.

Every command reports a problem as one line (or one table of problems) and a non-zero exit
code, never a traceback: 1 when a specification is not compliant or an action was refused,
2 when the input cannot be read or is malformed.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from microcred.cli_verify import VerifyCommand, verify
from microcred.config import ConfigError, Settings, current_settings, use_database_url
from microcred.domain.compliance.report import (
    ComplianceIssue,
    ComplianceReport,
    Outcome,
    Severity,
)
from microcred.domain.specification import AwardingBody, Specification, localise

EXIT_NOT_COMPLIANT = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="microcred",
    help="Describe, check and publish EU micro-credentials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help: "--publish  Publish …", not a "<bool>" type column
)
spec_app = typer.Typer(help="Check, import, export and list specifications.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the database.", no_args_is_help=True)
app.add_typer(spec_app, name="spec")
app.add_typer(db_app, name="db")
app.command("verify", cls=VerifyCommand)(verify)


def id_column() -> Column:
    """Return a table column of ids: what people copy into the next command, so each is
    shown whole on one line, never cut short (a new column per table: Rich fills it)."""
    return Column("id", no_wrap=True, min_width=36)


# Width of output read by a program or a file rather than a terminal (unless COLUMNS says).
PIPED_WIDTH = 200


def out() -> Console:
    """Return a console on standard output (made per use, so it sees the current terminal)."""
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)


def _console(stderr: bool) -> Console:
    # "did:key:z6Mk…" is text, not an emoji; numbers and URLs are not coloured.
    console = Console(stderr=stderr, highlight=False, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


P = ParamSpec("P")
R = TypeVar("R")

PROFILE_ORDER = ("eu", "eslp", "microbol")


class CommandError(Exception):
    """A problem the user can fix; printed as one line, then the command exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


class MalformedInput(Exception):
    """Input that cannot become a Specification; each problem names element and rule."""

    def __init__(self, source: str, issues: list[ComplianceIssue]) -> None:
        super().__init__(f"{source}: {len(issues)} problem(s)")
        self.source = source
        self.issues = issues


@dataclass(frozen=True)
class Options:
    """What the global options chose for every command."""

    database_url: str


# --- error handling shared by every command ---


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that known problems print as one clear line instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from microcred.services.catalogue import CatalogueError, InvalidInput, PublishRefused

        try:
            return command(*args, **kwargs)
        except MalformedInput as malformed:
            print_problems(malformed.source, malformed.issues)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except PublishRefused as refused:
            print_problems(f"specification {refused.spec_id} cannot be published", refused.issues)
            raise typer.Exit(EXIT_NOT_COMPLIANT) from None
        except InvalidInput as error:
            fail(str(error), EXIT_BAD_INPUT)
        except CatalogueError as error:
            fail(str(error), EXIT_NOT_COMPLIANT)
        except CommandError as error:
            fail(str(error), error.code)
        except OSError as error:
            fail(f"{error.filename or ''}: {error.strerror or error}".lstrip(": "), EXIT_BAD_INPUT)
        except Exception as error:
            if _is_database_error(error):
                fail(f"database problem: {_first_line(error)}", EXIT_BAD_INPUT)
            raise

    return wrapper


def fail(message: str, code: int) -> NoReturn:
    err().print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(code)


def print_problems(source: str, issues: list[ComplianceIssue]) -> None:
    """Print each problem of some input as element, rule and message."""
    err().print(f"[bold red]Error:[/] {escape(source)}: {len(issues)} problem(s)")
    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("element", style="bold", overflow="fold")
    table.add_column("rule", no_wrap=True)
    table.add_column("message", overflow="fold")
    for issue in issues:
        table.add_row(escape(issue.element), escape(issue.rule), escape(issue.message))
    err().print(table)


def _is_database_error(error: Exception) -> bool:
    import sqlalchemy.exc

    return isinstance(error, sqlalchemy.exc.SQLAlchemyError)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


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
    from microcred.domain.validation import SpecificationInvalid, parse_specification
    from microcred.formats.elm import ElmImportError, is_elm_credential, specification_from_elm

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


# --- global options ---


@app.callback()
def main(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Database URL (default: MICROCRED_DATABASE_URL, else a SQLite file in the data dir).",
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        metavar="FILE",
        help="TOML file of settings (default: MICROCRED_CONFIG); the environment wins over it.",
    ),
) -> None:
    """Describe, check and publish EU micro-credentials."""
    from microcred.cli_ops import load_settings
    from microcred.formats.jsonld import use_operator_contexts

    settings = load_settings(config)
    use_operator_contexts(settings.contexts_dir)
    ctx.obj = Options(database_url=db or settings.database_url.get_secret_value())


def _options(ctx: typer.Context) -> Options:
    options = ctx.find_root().obj
    if isinstance(options, Options):
        return options
    return Options(current_settings().database_url.get_secret_value())


def open_database(ctx: typer.Context, url: str | None = None) -> Any:
    """Return the database the command works on, at the newest schema.

    An embedded SQLite database (the default: a file in the data dir) migrates itself, so a
    fresh data dir works at once; a server database is migrated only by `microcred db upgrade`,
    which its operator runs on purpose.
    """
    from microcred.store.database import Database

    database = Database(url or _options(ctx).database_url)
    if database.is_current():
        return database
    if database.url.get_backend_name() == "sqlite":
        database.upgrade()
        return database
    raise CommandError(
        f"the database {database.url.render_as_string(hide_password=True)} is not up to date;"
        " run 'microcred db upgrade' first"
    )


def _catalogue(ctx: typer.Context, url: str | None = None) -> Any:
    from microcred.services.catalogue import Catalogue

    return Catalogue(open_database(ctx, url))


# --- spec check ---


@spec_app.command("check")
@reports_errors
def spec_check(
    file: Path = typer.Argument(
        ..., metavar="FILE", help="A specification (JSON or YAML) or an ELM credential."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check a specification against the Council Recommendation, E-SLP and MICROBOL."""
    from microcred.domain.compliance import check

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
@reports_errors
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
    from microcred.domain.compliance import check

    entries = [(path, *load_catalogue_entry(path)) for path in files]
    specs = [(path, spec) for path, spec, _named in entries]
    if publish:
        for path, spec in specs:
            errors = check(spec, eslp_min_eqf=Settings().eslp_min_eqf).errors
            if errors:
                print_problems(f"{path} cannot be published (nothing was stored)", errors)
                raise typer.Exit(EXIT_NOT_COMPLIANT)
    catalogue = _catalogue(ctx)
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
    title = localise(record.specification.title, "en")
    return [record.id, str(record.version), str(record.status), record.institution, escape(title)]


def _owner(
    known: set[str], slug: str | None, spec: Specification, path: Path
) -> tuple[str, AwardingBody | None]:
    """Return the slug of the institution that will own ``spec``, and the body to create it from.

    An institution that does not exist yet is made from the first awarding body, so nothing
    is asked of the user that the file already says.
    """
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
@reports_errors
def spec_export(
    ctx: typer.Context,
    spec_id: str = typer.Argument(..., metavar="ID", help="The specification's id (UUID)."),
    version: int | None = typer.Option(
        None, "--version", help="A version number (default: latest)."
    ),
    output_format: str = typer.Option("json", "--format", help="json or yaml."),
) -> None:
    """Print a stored specification as JSON or YAML, ready to edit and import again."""
    if output_format not in ("json", "yaml"):
        raise CommandError(f"--format must be json or yaml, not '{output_format}'")
    record = _catalogue(ctx).get(spec_id, version)
    data = record.specification.model_dump(mode="json", exclude_defaults=True)
    if output_format == "json":
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), nl=False)


@spec_app.command("list")
@reports_errors
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
    records = _catalogue(ctx).search(query)
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


# --- database and server ---


@db_app.command("upgrade")
@reports_errors
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the newest version."""
    database = _upgraded_database(_options(ctx).database_url)
    out().print(f"Database {database.url.render_as_string(hide_password=True)} is up to date.")


def _upgraded_database(url: str) -> Any:
    from microcred.store.database import Database

    database = Database(url)
    database.upgrade()
    return database


@app.command("serve")
@reports_errors
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    db: str | None = typer.Option(None, "--db", metavar="URL", help="Database URL."),
    migrate: bool = typer.Option(
        False, "--migrate", help="Migrate an out-of-date schema first (else refuse to start)."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Server processes sharing the port (one per core); settings from the environment.",
    ),
    ssl_certfile: Path | None = typer.Option(
        None, "--ssl-certfile", help="Serve HTTPS with this PEM certificate (chain)."
    ),
    ssl_keyfile: Path | None = typer.Option(
        None, "--ssl-keyfile", help="... and this PEM private key (both or neither)."
    ),
) -> None:
    """Serve the web catalogue, the designer and the API (on a current schema; see --migrate)."""
    from microcred.cli_tls import TlsFilesUnusable, tls_options
    from microcred.store.database import Database

    try:
        tls = tls_options(ssl_certfile, ssl_keyfile)
    except TlsFilesUnusable as error:
        raise CommandError(str(error)) from None
    url = db or _options(ctx).database_url
    if workers > 1:
        _run_workers(Database(url), url, host, port, workers, migrate=migrate, tls=tls)
    else:
        _run_server(Database(url), url, host, port, migrate=migrate, tls=tls)


@app.command("demo")
@reports_errors
def demo(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Seed the demo data, then stop."),
) -> None:
    """Migrate, seed the demo catalogue (once; running again adds nothing), then serve it."""
    from microcred.services.catalogue import Catalogue
    from microcred.services.demo import seed_demo

    url = _options(ctx).database_url
    database = _upgraded_database(url)
    result = seed_demo(Catalogue(database))
    out().print(
        f"Demo catalogue: {len(result.created)} specification(s) added, "
        f"{len(result.existing)} already present."
    )
    for source, issues in result.refused.items():
        print_problems(f"{source} stays a draft: publishing was refused", issues)
    _demo_test_seals(database)
    demo_accounts = _demo_accounts(database)
    _demo_awards(database, url)
    if not no_serve:
        _run_server(database, url, host, port, demo_accounts, migrate=True)


def _demo_accounts(database: Any) -> list[Any]:
    """Give the demo accounts new passwords and print them, this once."""
    from microcred.services.accounts import Accounts
    from microcred.services.demo import demo_institutions
    from microcred.services.demo_accounts import seed_demo_accounts

    slugs = [institution.slug for institution in demo_institutions()]
    seeded = seed_demo_accounts(Accounts(database), slugs)
    table = Table(title="Demo accounts")
    for column in ("email", "role", "password (this run only)"):
        table.add_column(column, no_wrap=True)
    for account in seeded:
        table.add_row(account.email, escape(account.role), account.password)
    out().print(table)
    return seeded


def _demo_awards(database: Any, url: str) -> None:
    """Issue the demo's credentials and its pathway (once), claim e-mails to the demo outbox."""
    from microcred.services.app_awards import app_awards
    from microcred.services.demo_awards import seed_demo_awards
    from microcred.services.pathways import app_pathways

    awards = app_awards(database, Settings(database_url=url, demo_mode=True))
    result = seed_demo_awards(awards, app_pathways(awards))
    out().print(
        f"Demo awards: {len(result.made)} credential(s) issued, {len(result.existing)} already "
        f"present; the pathway's stacked credential awarded {len(result.stacked)} time(s)."
    )


def _demo_test_seals(database: Any) -> None:
    """Give each demo institution a TEST e-seal certificate, so it can issue demo EDCs."""
    from microcred.crypto.x509_seal import TEST_MARK
    from microcred.services.demo import demo_institutions
    from microcred.services.seal_certificates import SealCertificates

    slugs = [institution.slug for institution in demo_institutions()]
    made = SealCertificates(database).ensure_test_seals(slugs)
    if made:
        out().print(f"{len(made)} TEST seal certificate(s) made, marked '{TEST_MARK}'")


# On SIGTERM the server stops accepting, lets requests in flight finish for this long, then
# exits anyway (a verification stops itself within its own, shorter, time budget).
SHUTDOWN_GRACE_SECONDS = 15


def _run_server(
    database: Any,
    url: str,
    host: str,
    port: int,
    demo_accounts: list[Any] | None = None,
    *,
    migrate: bool,
    tls: dict[str, str] | None = None,
) -> None:
    import uvicorn

    from microcred.app import create_app
    from microcred.observability.log_format import configure_logging
    from microcred.observability.schema import SchemaOutOfDate

    # Only `microcred demo` passes demo accounts: its e-mail then goes to the demo outbox.
    settings = Settings(database_url=url, demo_mode=demo_accounts is not None)
    configure_logging(settings)
    try:
        app = create_app(settings=settings, database=database, migrate=migrate)
    except SchemaOutOfDate as error:
        raise CommandError(str(error)) from None
    _refuse_unusable_keys(app.state.key_check)
    out().print(f"Serving microcred on {_scheme(tls)}://{host}:{port}/ (Ctrl+C to stop)")
    # Only `microcred demo` sets this: the login page then shows the demo accounts.
    app.state.demo_accounts = demo_accounts
    app.state.preload_model = True  # recognition's model loads in the background at start-up
    uvicorn.run(app, host=host, port=port, **_serving_options(tls or {}))


def _refuse_unusable_keys(key_check: Any) -> None:
    """Stop before serving when the KEK cannot open the issuer keys: every signing would fail,
    while the server looked ready."""
    if key_check.failed:
        raise CommandError(
            f"not serving: {key_check.detail}. To fix: {key_check.fix}", code=EXIT_NOT_COMPLIANT
        )


def _scheme(tls: dict[str, str] | None) -> str:
    return "https" if tls else "http"


def _serving_options(tls: dict[str, str]) -> dict[str, Any]:
    """Return the uvicorn options every way of serving shares: TLS files, and no access log
    (our middleware logs each request without the client's address or query)."""
    return {
        "log_config": None,
        "access_log": False,
        "timeout_graceful_shutdown": SHUTDOWN_GRACE_SECONDS,
        **tls,
    }


def _run_workers(
    database: Any,
    url: str,
    host: str,
    port: int,
    workers: int,
    *,
    migrate: bool,
    tls: dict[str, str],
) -> None:
    """Serve with `workers` processes on one port, each its own app from the environment.

    The schema is checked (and migrated, if asked) once here, before any process starts.
    Each process keeps its own metrics, and its own rate-limit counters unless
    MICROCRED_REDIS_URL shares them; jobs are claimed through the database, so every process
    may run them.
    """
    import uvicorn

    from microcred.observability.checks import check_kek
    from microcred.observability.log_format import configure_logging
    from microcred.observability.schema import SchemaOutOfDate, ensure_current_schema

    settings = Settings(database_url=url)
    configure_logging(settings)
    try:
        ensure_current_schema(database, migrate=migrate or settings.auto_migrate)
    except SchemaOutOfDate as error:
        raise CommandError(str(error)) from None
    _refuse_unusable_keys(check_kek(database, settings))
    database.dispose()
    # The processes read their own settings: --db must reach them too.
    if url != current_settings().database_url.get_secret_value():
        try:
            use_database_url(url)
        except ConfigError as error:
            raise CommandError("; ".join(error.problems)) from None
    out().print(f"Serving microcred on {_scheme(tls)}://{host}:{port}/ with {workers} processes")
    uvicorn.run(
        "microcred.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        **_serving_options(tls),
    )


from microcred.cli_keys import keys_app  # noqa: E402  (it builds on the helpers above)

app.add_typer(keys_app, name="keys")
from microcred.cli_edc import edc_app  # noqa: E402

app.add_typer(edc_app, name="edc")
from microcred.cli_audit import audit_app  # noqa: E402
from microcred.cli_status import credential_app  # noqa: E402

app.add_typer(credential_app, name="credential")
app.add_typer(audit_app, name="audit")
from microcred.cli_institutions import institution_app  # noqa: E402

app.add_typer(institution_app, name="institution")
from microcred.cli_map import map_command  # noqa: E402

app.command("map")(map_command)

from microcred.cli_awards import register as register_awards  # noqa: E402

register_awards(app)
from microcred.cli_accounts import token_app, user_app  # noqa: E402

app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
from microcred.cli_backup import register as register_backup  # noqa: E402

register_backup(app)

from microcred.cli_pathways import register as register_pathways  # noqa: E402

register_pathways(app)

from microcred.cli_finder import finder_app  # noqa: E402

app.add_typer(finder_app, name="finder")
from microcred.cli_gdpr import personal_data_app  # noqa: E402

app.add_typer(personal_data_app, name="personal-data")
from microcred.cli_ops import register as register_ops  # noqa: E402

register_ops(app)
from microcred.cli_contexts import register as register_contexts  # noqa: E402

register_contexts(app)
from microcred.cli_derive import register as register_derive  # noqa: E402

register_derive(app)
