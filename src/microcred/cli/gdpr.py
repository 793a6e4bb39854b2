"""``microcred personal-data export|erase EMAIL``: a learner's data out, or erased (GDPR)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from microcred.cli.common import CommandError, open_database, translate_errors
from microcred.cli.console import out

if TYPE_CHECKING:
    from microcred.services.gdpr import PersonalData

personal_data_app = typer.Typer(
    help="Export or erase what the instance holds about a person (GDPR).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add ``microcred personal-data`` to the command line."""
    app.add_typer(personal_data_app, name="personal-data")


def _service(ctx: typer.Context) -> PersonalData:
    from microcred.services.gdpr import PersonalData

    return PersonalData(open_database(ctx))


@personal_data_app.command("export")
@translate_errors()
def export(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL", help="The person's e-mail address."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the JSON here."),
) -> None:
    """Print (or write) everything held about EMAIL as JSON, secrets left out."""
    from microcred.services.gdpr import PersonalDataError

    service = _service(ctx)
    try:
        data = service.export(email)
    except PersonalDataError as error:
        raise CommandError(str(error)) from None
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    out().print(f"Wrote {sum(len(rows) for rows in data['tables'].values())} row(s) to {output}")


@personal_data_app.command("erase")
@translate_errors()
def erase(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL", help="The person's e-mail address."),
    reason: str = typer.Option(..., "--reason", help="Why (recorded in the audit log)."),
    by: str = typer.Option(..., "--by", help="Who asks for it (recorded in the audit log)."),
    yes: bool = typer.Option(False, "--yes", help="Erase without asking again."),
) -> None:
    """Erase EMAIL's personal data; issued credentials stay verifiable (docs/security.md)."""
    from microcred.services.audit import AuditInputError
    from microcred.services.gdpr import PersonalDataError

    service = _service(ctx)
    if not yes and not typer.confirm(f"Erase every record of {email}? This cannot be undone"):
        raise CommandError("nothing erased", 1)
    try:
        erasure = service.erase(email, actor=by, reason=reason)
    except (PersonalDataError, AuditInputError) as error:
        raise CommandError(str(error)) from None
    out().print(
        f"Erased: {erasure.awards} award(s) pseudonymised, {erasure.credentials} stored "
        f"credential(s) replaced by their digest, account "
        f"{'deleted' if erasure.account_deleted else 'none'}; audit log entry {erasure.erasure_id}"
    )
