"""``microcred user`` and ``microcred token``: accounts, their roles, and their API tokens.

The CLI works on the database directly, as the instance operator does; every change goes to
the audit log with ``--by`` (default: ``cli:<login name>``) as the actor. Secrets (a generated
password, a token) are printed once and stored only as hashes.
"""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Any

import typer
from rich.markup import escape
from rich.table import Column, Table

from microcred.cli.common import open_database, translate_errors
from microcred.cli.console import out

user_app = typer.Typer(help="Accounts and their roles at institutions.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)

BY = typer.Option(None, "--by", help="Who makes the change, for the audit log.")


def register(app: typer.Typer) -> None:
    """Add ``microcred user`` and ``microcred token`` to the command line."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")


def _account_problems() -> tuple[type[Exception], ...]:
    from microcred.services.accounts import AccountError

    return (AccountError,)


def _actor(by: str | None) -> str:
    return by or f"cli:{getpass.getuser()}"


def _roles_text(roles: dict[str, Any]) -> str:
    return "; ".join(f"{slug}: {', '.join(sorted(held))}" for slug, held in sorted(roles.items()))


@user_app.command("create")
@translate_errors(bad_input=_account_problems)
def user_create(
    ctx: typer.Context,
    email: str = typer.Argument(
        ..., metavar="EMAIL", help="The person's email address (their login)."
    ),
    name: str = typer.Option("", "--name", help="Display name."),
    operator: bool = typer.Option(False, "--operator", help="An instance operator (superuser)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    sso_only: bool = typer.Option(False, "--sso-only", help="No password: single sign-on only."),
    by: str | None = BY,
) -> None:
    """Create an account; without a password given, one is generated and printed once."""
    from microcred.services.accounts import Accounts

    generated = not (password_stdin or sso_only)
    password: str | None = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif generated:
        password = secrets.token_urlsafe(15)
    account = Accounts(open_database(ctx)).create_user(
        email, password=password, display_name=name, operator=operator, actor=_actor(by)
    )
    kind = "operator" if operator else "account"
    out().print(f"Created {kind} {escape(account.email)}.")
    if generated:
        out().print(f"Password (shown this once): {password}")


@user_app.command("list")
@translate_errors(bad_input=_account_problems)
def user_list(
    ctx: typer.Context,
    institution: str | None = typer.Option(None, "--institution", metavar="SLUG"),
) -> None:
    """List accounts (or those with a role at one institution) and their roles."""
    from microcred.services.accounts import Accounts

    table = Table("email", "name", "operator", "roles", "sign-in")
    for account in Accounts(open_database(ctx)).list_users(institution):
        table.add_row(
            escape(account.email),
            escape(account.display_name),
            "yes" if account.is_operator else "",
            escape(_roles_text(account.roles)),
            "password" if account.has_password else "single sign-on",
        )
    out().print(table)


def _change_role(
    ctx: typer.Context, email: str, role: str, institution: str, by: str | None, add: bool
) -> None:
    from microcred.services.accounts import Accounts

    accounts = Accounts(open_database(ctx))
    change = accounts.add_role if add else accounts.remove_role
    account = change(email, institution, role, actor=_actor(by))
    out().print(f"{escape(account.email)}: {escape(_roles_text(account.roles)) or 'no roles'}")


ROLE = typer.Argument(
    ..., metavar="ROLE", help="administrator, designer, registrar, recognition-officer or auditor."
)
INSTITUTION = typer.Option(..., "--institution", metavar="SLUG", help="The institution.")


@user_app.command("add-role")
@translate_errors(bad_input=_account_problems)
def user_add_role(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL"),
    role: str = ROLE,
    institution: str = INSTITUTION,
    by: str | None = BY,
) -> None:
    """Give an account a role at an institution."""
    _change_role(ctx, email, role, institution, by, add=True)


@user_app.command("remove-role")
@translate_errors(bad_input=_account_problems)
def user_remove_role(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL"),
    role: str = ROLE,
    institution: str = INSTITUTION,
    by: str | None = BY,
) -> None:
    """Take a role at an institution away from an account."""
    _change_role(ctx, email, role, institution, by, add=False)


@token_app.command("create")
@translate_errors(bad_input=_account_problems)
def token_create(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL", help="The account the token acts for."),
    name: str = typer.Option(..., "--name", help="What the token is for."),
    scopes: list[str] = typer.Option(
        ..., "--scope", help="read, design, issue, revoke, recognise or admin (repeatable)."
    ),
    by: str | None = BY,
) -> None:
    """Create an API token; its value is printed this once and stored only as a hash."""
    from microcred.services.api_tokens import ApiTokens

    made = ApiTokens(open_database(ctx)).create(email, name, scopes, actor=_actor(by))
    out().print(f"Token {made.token.id} for {escape(made.token.owner)} (shown this once):")
    typer.echo(made.value)


@token_app.command("list")
@translate_errors(bad_input=_account_problems)
def token_list(
    ctx: typer.Context,
    email: str | None = typer.Argument(None, metavar="EMAIL", help="Only this account's."),
) -> None:
    """List tokens (never their values): owner, scopes, last use, revocation."""
    from microcred.services.api_tokens import ApiTokens

    owner = Column("owner", overflow="fold")
    table = Table("id", owner, "name", "starts with", "scopes", "last used", "revoked")
    for token in ApiTokens(open_database(ctx)).list(email):
        table.add_row(
            str(token.id),
            escape(token.owner),
            escape(token.name),
            token.prefix,
            " ".join(sorted(token.scopes)),
            _when(token.last_used_at) or "never",
            _when(token.revoked_at),
        )
    out().print(table)


@token_app.command("revoke")
@translate_errors(bad_input=_account_problems)
def token_revoke(
    ctx: typer.Context, token_id: int = typer.Argument(..., metavar="ID"), by: str | None = BY
) -> None:
    """Revoke a token: it is refused from now on."""
    from microcred.services.api_tokens import ApiTokens

    token = ApiTokens(open_database(ctx)).revoke(token_id, actor=_actor(by))
    out().print(f"Token {token.id} ({escape(token.name)}) of {escape(token.owner)} is revoked.")


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""
