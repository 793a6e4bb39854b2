"""``microcred keys``: make, list, rotate and export the public keys institutions sign with.

The owner is an institution's slug; with no slug, the instance itself (the DID of the base URL).
Private keys never leave the database unsealed: ``export-public`` prints public keys only.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Column, Table

from microcred.cli.common import CommandError, command_settings, open_database, translate_errors
from microcred.cli.console import out

if TYPE_CHECKING:
    from microcred.services.issuer_keys import IssuerKeys

keys_app = typer.Typer(
    help="Issuer signing keys: create, list, rotate, export public keys.", no_args_is_help=True
)

SLUG = typer.Argument(None, metavar="[SLUG]", help="Institution slug (none: the instance).")
KEY_TYPE = typer.Option("Ed25519", "--type", help="Ed25519, P-256 or P-384.")


def register(app: typer.Typer) -> None:
    """Add ``microcred keys`` to the command line."""
    app.add_typer(keys_app, name="keys")


def _key_problems() -> tuple[type[Exception], ...]:
    """Return the errors of a key or KEK problem (exit code 2)."""
    from microcred.crypto.key_sealing import SealError
    from microcred.services.issuer_keys import IssuerKeyError

    return (IssuerKeyError, SealError)


def issuer_keys(ctx: typer.Context) -> IssuerKeys:
    """Return the signing keys of the institutions in this run's database."""
    from microcred.services.issuer_keys import IssuerKeys

    return IssuerKeys(open_database(ctx), command_settings(ctx))


def _print_keys(keys: list[Any]) -> None:
    table = Table("status", "type", "created", Column("verification method", overflow="fold"))
    for key in keys:
        created = key.created_at.strftime("%Y-%m-%d %H:%M")
        table.add_row(str(key.status), key.key_type, created, key.verification_method)
    out().print(table)


@keys_app.command("create")
@translate_errors(bad_input=_key_problems)
def keys_create(ctx: typer.Context, slug: str | None = SLUG, key_type: str = KEY_TYPE) -> None:
    """Make the signing key of an institution (or the instance) unless it has one."""
    _print_keys([issuer_keys(ctx).ensure_key(slug, key_type)])


@keys_app.command("rotate")
@translate_errors(bad_input=_key_problems)
def keys_rotate(
    ctx: typer.Context,
    slug: str | None = SLUG,
    key_type: str | None = typer.Option(None, "--type", help="Default: the current key's type."),
) -> None:
    """Make a new active key; the old one stays in the DID document so old credentials verify."""
    keys = issuer_keys(ctx)
    keys.rotate(slug, key_type)
    _print_keys(keys.public_keys(slug))


@keys_app.command("list")
@translate_errors(bad_input=_key_problems)
def keys_list(ctx: typer.Context, slug: str | None = SLUG) -> None:
    """List the keys of an institution (or the instance), the active one first."""
    keys = issuer_keys(ctx).public_keys(slug)
    if not keys:
        raise CommandError(f"no keys yet; make one with 'microcred keys create {slug or ''}'")
    _print_keys(keys)


@keys_app.command("export-public")
@translate_errors(bad_input=_key_problems)
def keys_export_public(
    ctx: typer.Context,
    slug: str | None = SLUG,
    as_format: str = typer.Option("jwk", "--format", help="jwk (a JWK Set) or did (document)."),
) -> None:
    """Print the public keys as a JWK Set, or the DID document that publishes them."""
    keys = issuer_keys(ctx)
    if as_format == "jwk":
        document = {"keys": [key.public_jwk() for key in keys.public_keys(slug)]}
    elif as_format == "did":
        document = keys.did_document(slug)
    else:
        raise CommandError(f"--format must be jwk or did, not '{as_format}'")
    typer.echo(json.dumps(document, indent=2))
