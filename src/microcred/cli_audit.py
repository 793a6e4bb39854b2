"""``microcred audit verify``: check that no audit event was edited, deleted or reordered."""

from __future__ import annotations

import typer

from microcred.cli import (
    EXIT_NOT_COMPLIANT,
    CommandError,
    open_database,
    out,
    reports_errors,
)

audit_app = typer.Typer(help="The audit log of status changes.", no_args_is_help=True)


@audit_app.command("verify")
@reports_errors
def verify(ctx: typer.Context) -> None:
    """Check the audit log's hash chain; exit 1 naming the first event that breaks it."""
    from microcred.services.audit import verify_chain

    database = open_database(ctx)
    verdict = verify_chain(database)
    if not verdict.intact:
        raise CommandError(
            f"the audit log was tampered with: {verdict.problem}", EXIT_NOT_COMPLIANT
        )
    out().print(f"Audit log intact: {verdict.events} event(s), head {verdict.head}")
