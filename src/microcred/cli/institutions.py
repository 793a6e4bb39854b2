"""``microcred institution``: the providers that own specifications, keys and credentials.

``create`` makes one (refusing a slug that is taken, so nothing is changed by accident);
``list`` shows every one. The web app's administrators manage them the same way.
"""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from microcred.cli.common import CommandError, open_catalogue, translate_errors
from microcred.cli.console import out

institution_app = typer.Typer(
    help="Institutions: the providers that own specifications, keys and credentials.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``microcred institution`` to the command line."""
    app.add_typer(institution_app, name="institution")


@institution_app.command("create")
@translate_errors()
def institution_create(
    ctx: typer.Context,
    slug: str = typer.Argument(..., metavar="SLUG", help="Short name in URLs, e.g. uni-example."),
    name: str = typer.Option(..., "--name", metavar="TEXT", help="The name, in English."),
    name_de: str | None = typer.Option(None, "--name-de", metavar="TEXT", help="The German name."),
    country: str | None = typer.Option(
        None, "--country", metavar="CODE", help="ISO 3166 code (DE, DEU) or English name."
    ),
    higher_education: bool = typer.Option(
        True,
        "--higher-education/--not-higher-education",
        help="A higher-education institution (the default) or another provider.",
    ),
    ob2_issuers: list[str] = typer.Option(
        [],
        "--ob2-issuer",
        metavar="URL",
        help="The web address of one of its Open Badges 2.0 issuer Profiles (repeatable): "
        "its registrars may re-issue those badges as Open Badges 3.0.",
    ),
) -> None:
    """Make an institution; a slug that is taken is refused and nothing changes."""
    catalogue = open_catalogue(ctx)
    if any(known.slug == slug for known in catalogue.list_institutions()):
        raise CommandError(f"an institution with the slug '{slug}' exists already")
    names = {"en": name} | ({"de": name_de} if name_de else {})
    made = catalogue.ensure_institution(
        slug,
        names,
        country=country,
        is_higher_education=higher_education,
        ob2_issuers=ob2_issuers,
    )
    out().print(f"Institution {escape(made.slug)} ({escape(made.name.get('en', slug))}) created.")


@institution_app.command("list")
@translate_errors()
def institution_list(ctx: typer.Context) -> None:
    """List every institution, by slug."""
    table = Table("slug", "name", "country", "higher education")
    for institution in open_catalogue(ctx).list_institutions():
        table.add_row(
            escape(institution.slug),
            escape(institution.name.get("en") or next(iter(institution.name.values()), "")),
            escape((institution.country or "").rsplit("/", 1)[-1]),
            "yes" if institution.is_higher_education else "no",
        )
    out().print(table)
