"""``microcred derive FILE|URL|- --pointer /credentialSubject/name ...``: reveal only part of a
credential that carries an ecdsa-sd-2023 base proof, as its holder.

Prints the credential with a derived proof (or writes it to ``--output``): the statements the
issuer made mandatory and those the pointers select, nothing else. No key is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from microcred.cli.common import CommandError, load_settings, translate_errors


def register(app: typer.Typer) -> None:
    """Add ``microcred derive`` to the command line."""
    app.command("derive")(derive)


@translate_errors()
def derive(
    source: str = typer.Argument(..., help="A credential file, an http(s) link, or - for stdin."),
    pointers: list[str] = typer.Option(
        [], "--pointer", "-p", help="A JSON pointer to reveal (repeat for more)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here, not stdout."),
) -> None:
    """Derive a selectively disclosed credential from an ecdsa-sd-2023 base proof."""
    from microcred.cli.verify import read_source
    from microcred.formats.jsonld import use_operator_contexts
    from microcred.services.deriving import DerivingError, derive_credential
    from microcred.verify.fetch import FetchError
    from microcred.verify.parse import Unparseable, parse_json_object

    use_operator_contexts(load_settings().contexts_dir)
    try:
        credential = parse_json_object(read_source(source).decode("utf-8", errors="replace"))
        derived = derive_credential(credential, pointers)
    except (OSError, FetchError) as error:
        raise CommandError(f"{source}: {error}") from None
    except Unparseable as error:
        raise CommandError(f"{source} is not a credential: {error}") from None
    except DerivingError as error:
        where = error.where.replace("options.selectivePointers", "--pointer")
        raise CommandError(f"{where}: {error.message}") from None
    text = json.dumps(derived, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
