"""``microcred trust``: the EU trusted lists seals are judged by.

``trust refresh`` fetches the List of Trusted Lists (``MICROCRED_TRUSTED_LIST_URL``), checks
its XAdES signature with the pinned certificates (``MICROCRED_TRUSTED_LIST_SIGNERS``), then
fetches and checks each national list it points to, keeping the verified copies in
``MICROCRED_TRUSTED_LIST_DIR``. Run it before each list's nextUpdate (daily is usual).
"""

from __future__ import annotations

import typer
from rich.table import Table

from microcred.cli.common import CommandError, translate_errors
from microcred.cli.console import out

trust_app = typer.Typer(help="EU trusted lists (ETSI TS 119 612).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``microcred trust`` to the command line."""
    app.add_typer(trust_app, name="trust")


@trust_app.command("refresh")
@translate_errors()
def trust_refresh() -> None:
    """Fetch and verify the LOTL and the national trusted lists it points to."""
    from microcred.config import current_settings
    from microcred.crypto.trusted_list import TrustedListError
    from microcred.services.trust_lists import refresh

    try:
        report = refresh(current_settings())
    except TrustedListError as error:
        raise CommandError(str(error)) from None
    next_update = report.next_update.isoformat() if report.next_update else "not stated"
    out().print(
        f"LOTL #{report.lotl_sequence} verified (next update {next_update}); "
        f"lists kept in {report.folder}"
    )
    table = Table("territory", "result", "next update")
    for territory, moment in sorted(report.kept.items()):
        table.add_row(territory, "verified", moment.isoformat() if moment else "")
    for territory, reason in sorted(report.failed.items()):
        table.add_row(territory, f"not kept: {reason}", "")
    out().print(table)
    if report.failed:
        raise typer.Exit(1)
