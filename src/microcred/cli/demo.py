"""``microcred demo``: seed the demo catalogue, accounts and awards (once), then serve them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from microcred.cli.common import open_database, options, translate_errors
from microcred.cli.console import out, print_problems
from microcred.cli.serve import run_server

if TYPE_CHECKING:
    from microcred.store.database import Database


def register(app: typer.Typer) -> None:
    """Add ``microcred demo`` to the command line."""
    app.command("demo")(demo)


@translate_errors()
def demo(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Seed the demo data, then stop."),
) -> None:
    """Migrate, seed the demo catalogue (once; running again adds nothing), then serve it."""
    from microcred.services.catalogue import Catalogue
    from microcred.services.demo import seed_demo

    url = options(ctx).database_url
    database = open_database(ctx, "upgrade")
    result = seed_demo(Catalogue(database))
    out().print(
        f"Demo catalogue: {len(result.created)} specification(s) added, "
        f"{len(result.existing)} already present."
    )
    for source, issues in result.refused.items():
        print_problems(f"{source} stays a draft: publishing was refused", issues)
    _demo_test_seals(database)
    demo_accounts = _demo_accounts(database)
    base_url = served_base_url(host, port)
    _demo_awards(database, url, base_url)
    if not no_serve:
        run_server(database, url, host, port, demo_accounts, migrate=True, base_url=base_url)


def served_base_url(host: str, port: int) -> str:
    """Return the base URL the demo's links and did:web identifiers use: the one configured
    (MICROCRED_BASE_URL or the settings file), else the address it serves on, so that claim
    links, the outbox and the DIDs of a demo on another port or host still lead to it."""
    from microcred.config import Settings

    configured = Settings()
    if "base_url" in configured.model_fields_set:
        return configured.base_url
    # A server listening on every address is reached, from this machine, on the loopback one.
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _demo_accounts(database: Database) -> list[Any]:
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


def _demo_awards(database: Database, url: str, base_url: str) -> None:
    """Issue the demo's credentials and its pathway (once), claim e-mails to the demo outbox."""
    from microcred.config import Settings
    from microcred.services.app_awards import app_awards
    from microcred.services.demo_awards import seed_demo_awards
    from microcred.services.pathways import app_pathways

    awards = app_awards(database, Settings(database_url=url, demo_mode=True, base_url=base_url))
    result = seed_demo_awards(awards, app_pathways(awards))
    out().print(
        f"Demo awards: {len(result.made)} credential(s) issued, {len(result.existing)} already "
        f"present; the pathway's stacked credential awarded {len(result.stacked)} time(s)."
    )


def _demo_test_seals(database: Database) -> None:
    """Give each demo institution a TEST e-seal certificate, so it can issue demo EDCs."""
    from microcred.crypto.x509_seal import TEST_MARK
    from microcred.services.demo import demo_institutions
    from microcred.services.seal_certificates import SealCertificates

    slugs = [institution.slug for institution in demo_institutions()]
    made = SealCertificates(database).ensure_test_seals(slugs)
    if made:
        out().print(f"{len(made)} TEST seal certificate(s) made, marked '{TEST_MARK}'")
