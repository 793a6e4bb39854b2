"""``microcred credential``: revoke, suspend, reinstate and look up issued credentials.

Every change needs ``--reason`` and ``--by`` (both go into the audit log). ``revoke --file``
revokes every id in a file (one per line; blank lines and ``#`` comments ignored) in one go:
an unknown id refuses the whole file and nothing changes. Exit codes as for every command:
1 when a change was refused (a revocation is final), 2 for bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from microcred.cli.common import CommandError, translate_errors
from microcred.cli.console import out
from microcred.cli.keys import issuer_keys

if TYPE_CHECKING:
    from microcred.services.status import StatusLists

credential_app = typer.Typer(
    help="Revoke, suspend, reinstate and look up issued credentials.", no_args_is_help=True
)

CREDENTIAL_ID = typer.Argument(None, metavar="[ID]", help="The credential's id (urn:uuid:...).")
REASON = typer.Option(..., "--reason", help="Why (recorded in the audit log).")
BY = typer.Option(..., "--by", help="Who is doing this (recorded in the audit log).")


def register(app: typer.Typer) -> None:
    """Add ``microcred credential`` to the command line."""
    app.add_typer(credential_app, name="credential")


def _refused_changes() -> tuple[type[Exception], ...]:
    """Return the errors of a refused change (exit code 1: a revocation is final)."""
    from microcred.services.status import StatusChangeRefused

    return (StatusChangeRefused,)


def _bad_changes() -> tuple[type[Exception], ...]:
    """Return the errors of a change asked with bad input (exit code 2)."""
    from microcred.services.status import StatusError

    return (StatusError,)


def _status_lists(ctx: typer.Context) -> StatusLists:
    from microcred.services.status import StatusLists

    keys = issuer_keys(ctx)
    return StatusLists(keys.db, keys, keys.settings)


def _print(record: Any) -> None:
    out().print(f"{escape(record.credential_id)}: {record.state}")
    for entry in record.entries:
        out().print(f"  {entry.purpose}: {escape(entry.list_url)} index {entry.index}")


def _one_id(credential_id: str | None) -> str:
    if not credential_id:
        raise CommandError("give the credential's id")
    return credential_id


def _ids_in(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    ids = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not ids:
        raise CommandError(f"{path}: no credential ids in it (one per line)")
    return ids


@credential_app.command("revoke")
@translate_errors(refused=_refused_changes, bad_input=_bad_changes)
def revoke(
    ctx: typer.Context,
    credential_id: str | None = CREDENTIAL_ID,
    reason: str = REASON,
    by: str = BY,
    file: Path | None = typer.Option(None, "--file", help="Revoke every id in this file."),
) -> None:
    """Revoke a credential for good (or every credential listed in --file)."""
    lists = _status_lists(ctx)
    if file is None:
        _print(lists.revoke(_one_id(credential_id), reason=reason, actor=by))
        return
    if credential_id:
        raise CommandError("give either an id or --file, not both")
    done = lists.revoke_many(_ids_in(file), reason=reason, actor=by)
    out().print(f"{len(done.revoked)} revoked, {len(done.already_revoked)} already revoked")


@credential_app.command("suspend")
@translate_errors(refused=_refused_changes, bad_input=_bad_changes)
def suspend(
    ctx: typer.Context,
    credential_id: str | None = CREDENTIAL_ID,
    reason: str = REASON,
    by: str = BY,
) -> None:
    """Suspend a credential until it is reinstated."""
    _print(_status_lists(ctx).suspend(_one_id(credential_id), reason=reason, actor=by))


@credential_app.command("reinstate")
@translate_errors(refused=_refused_changes, bad_input=_bad_changes)
def reinstate(
    ctx: typer.Context,
    credential_id: str | None = CREDENTIAL_ID,
    reason: str = REASON,
    by: str = BY,
) -> None:
    """Lift a suspension (a revocation cannot be lifted)."""
    _print(_status_lists(ctx).reinstate(_one_id(credential_id), reason=reason, actor=by))


@credential_app.command("status")
@translate_errors(refused=_refused_changes, bad_input=_bad_changes)
def status(ctx: typer.Context, credential_id: str | None = CREDENTIAL_ID) -> None:
    """Show whether a credential is valid, suspended or revoked, and its status-list entries."""
    _print(_status_lists(ctx).status_of(_one_id(credential_id)))
