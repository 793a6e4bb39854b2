"""``microcred pathway``: compose pathways, list them, and show a learner's progress.

``create`` reads the requirement from a JSON or YAML file (the rules of
``microcred.domain.pathways``); a bad file or an unknown specification is refused with each
problem on its own line (exit 2) and nothing is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from microcred.cli.common import CommandError, command_settings, open_database, translate_errors
from microcred.cli.console import out

pathway_app = typer.Typer(
    help="Compose pathways that stack credentials, and follow learners' progress.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``microcred pathway`` to the command line."""
    app.add_typer(pathway_app, name="pathway")


def _pathways(ctx: typer.Context) -> Any:
    from microcred.services.app_awards import app_awards
    from microcred.services.pathways import app_pathways

    return app_pathways(app_awards(open_database(ctx), command_settings(ctx)))


@pathway_app.command("create")
@translate_errors()
def create(
    ctx: typer.Context,
    rules: Path = typer.Argument(
        ..., metavar="FILE", help="JSON or YAML file with the requirement."
    ),
    institution: str = typer.Option(..., "--institution", help="The owner's slug."),
    title: str = typer.Option(..., "--title", help="The pathway's title (English)."),
    target: str = typer.Option(..., "--target", help="Specification id of the stacked credential."),
    by: str = typer.Option(..., "--by", help="Who composes it (recorded)."),
    no_auto_award: bool = typer.Option(False, "--no-auto-award", help="Report progress only."),
) -> None:
    """Store a pathway; print its id and the compliance of the stacked credential."""
    import yaml

    from microcred.services.pathways import PathwayInvalid

    try:
        requirement = yaml.safe_load(rules.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CommandError(f"{rules}: not valid JSON or YAML: {error}") from error
    if not isinstance(requirement, dict):
        raise CommandError(f"{rules}: expected an object with a 'kind', e.g. all_of")
    service = _pathways(ctx)
    try:
        pathway = service.create(
            institution, {"en": title}, target, requirement, actor=by, auto_award=not no_auto_award
        )
    except PathwayInvalid as error:
        raise CommandError(
            "the pathway was not stored:\n  " + "\n  ".join(error.problems)
        ) from error
    report = service.compliance(pathway)
    verdicts = ", ".join(f"{v.profile}: {'ok' if v.compliant else 'no'}" for v in report.verdicts)
    out().print(f"{pathway.id}  {escape(title)}  ({verdicts})")


@pathway_app.command("list")
@translate_errors()
def list_pathways(
    ctx: typer.Context,
    institution: str | None = typer.Option(None, "--institution"),
    as_json: bool = typer.Option(False, "--json", help="Print the pathways as JSON."),
) -> None:
    """List pathways, oldest first."""
    found = _pathways(ctx).list(institution)
    if as_json:
        out().print_json(json.dumps([p.model_dump(mode="json") for p in found]))
        return
    for pathway in found:
        title = next(iter(pathway.title.values()), "")
        out().print(f"{pathway.id}  {pathway.institution}  {escape(title)}")


@pathway_app.command("progress")
@translate_errors()
def progress(
    ctx: typer.Context,
    email: str = typer.Argument(..., metavar="EMAIL", help="The learner's account e-mail."),
) -> None:
    """Show a learner's progress on every pathway (only credentials that verify now count)."""
    for item in _pathways(ctx).learner_progress(email):
        title = next(iter(item.pathway.title.values()), item.pathway.id)
        state = "awarded" if item.awarded_credential else ("met" if item.outcome.met else "open")
        out().print(f"[bold]{escape(title)}[/]: {state}")
        for missing in item.outcome.missing:
            out().print(f"  missing: {escape(missing)}")
        for suggestion in item.suggestions:
            out().print(f"  would help: {escape(suggestion.title)} ({suggestion.specification_id})")
