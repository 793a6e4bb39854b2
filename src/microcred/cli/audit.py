"""``microcred audit``: verify the log, sign checkpoints of it, export them, check them offline.

``verify`` checks the keyed chain and compares the log with every stored checkpoint and with
any exported one given by ``--checkpoint``; ``verify-checkpoint`` needs no database at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from microcred.cli.common import EXIT_NOT_COMPLIANT, CommandError, open_database, translate_errors
from microcred.cli.console import out

audit_app = typer.Typer(
    help="The audit log of status changes: verify it, sign and check checkpoints.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``microcred audit`` to the command line."""
    app.add_typer(audit_app, name="audit")


def _checkpoint_problems() -> tuple[type[Exception], ...]:
    from microcred.crypto.key_sealing import SealError
    from microcred.services.audit_checkpoints import CheckpointError

    return (CheckpointError, SealError)


def _read_checkpoint_file(path: Path) -> Any:
    from microcred.services.audit_checkpoints import CheckpointError, read_checkpoint

    try:
        return read_checkpoint(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CheckpointError(f"{path}: not a text file") from None
    except CheckpointError as error:
        raise CheckpointError(f"{path}: {error}") from None


def _describe(checkpoint: Any) -> str:
    made = checkpoint.checkpointed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{checkpoint.events} event(s), head {checkpoint.head}, made {made}, "
        f"signed by {checkpoint.signer}"
    )


@audit_app.command("verify")
@translate_errors(bad_input=_checkpoint_problems)
def verify(
    ctx: typer.Context,
    checkpoint_files: list[Path] = typer.Option(
        [],
        "--checkpoint",
        help="An exported checkpoint kept outside the database to compare the log with too.",
    ),
) -> None:
    """Check the audit log's keyed chain and its checkpoints; exit 1 naming what breaks it."""
    from microcred.services.audit import verify_chain

    anchors = [_read_checkpoint_file(path) for path in checkpoint_files]
    verdict = verify_chain(open_database(ctx), anchors=anchors)
    if not verdict.intact:
        raise CommandError(
            f"the audit log was tampered with: {verdict.problem}", EXIT_NOT_COMPLIANT
        )
    out().print(
        f"Audit log intact: {verdict.events} event(s), head {verdict.head}, "
        f"agrees with {verdict.checkpoints} checkpoint(s)"
    )


@audit_app.command("checkpoint")
@translate_errors(bad_input=_checkpoint_problems)
def checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the log now (head, number of events, time) with the instance's key."""
    from microcred.services.audit import checkpoint_now

    out().print(f"Checkpoint signed: {_describe(checkpoint_now(open_database(ctx)))}")


@audit_app.command("export-checkpoint")
@translate_errors(bad_input=_checkpoint_problems)
def export_checkpoint(
    ctx: typer.Context,
    output: Path = typer.Option(..., "--out", "-o", help="File to write (a compact JWS)."),
) -> None:
    """Write the newest checkpoint to a file, to keep where database writers cannot reach."""
    from microcred.services.audit import newest_checkpoint_of

    newest = newest_checkpoint_of(open_database(ctx))
    output.write_text(newest.token + "\n", encoding="utf-8")
    out().print(f"Wrote {output}: {_describe(newest)}")


@audit_app.command("verify-checkpoint")
@translate_errors(bad_input=_checkpoint_problems)
def verify_checkpoint(
    path: Path = typer.Argument(..., help="An exported checkpoint file."),
    did_document: Path | None = typer.Option(
        None, "--did-document", help="The instance's DID document (JSON) the key must be in."
    ),
) -> None:
    """Check an exported checkpoint's signature offline; with a DID document, its signer too."""
    from microcred.services.audit_checkpoints import check_signer_in_document

    checkpoint = _read_checkpoint_file(path)
    if did_document is not None:
        check_signer_in_document(checkpoint, _json_file(did_document))
    signer = "key listed in the DID document" if did_document else "key in its header"
    out().print(f"Checkpoint valid ({signer}): {_describe(checkpoint)}")


def _json_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: not a JSON file ({error})") from None
    if not isinstance(document, dict):
        raise CommandError(f"{path}: a DID document is a JSON object")
    return document
