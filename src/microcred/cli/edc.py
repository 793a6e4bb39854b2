"""``microcred edc``: the e-seal certificates institutions seal Europass EDCs with.

``seal-cert import SLUG FILE.p12`` stores a PKCS#12 certificate and key (the password from
the environment variable ``--password-env`` names, never from the command line);
``seal-cert create-test SLUG`` makes a TEST certificate, marked "microcred TEST seal — not
qualified", and writes its TEST root to a PEM file a test verifier may trust.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from microcred.cli.common import command_settings, open_database, translate_errors
from microcred.cli.console import out

if TYPE_CHECKING:
    from microcred.services.seal_certificates import SealCertificates

edc_app = typer.Typer(help="Europass EDC: e-seal certificates.", no_args_is_help=True)
seal_cert_app = typer.Typer(help="Import or make an institution's seal certificate.")
edc_app.add_typer(seal_cert_app, name="seal-cert", no_args_is_help=True)

SLUG = typer.Argument(..., metavar="SLUG", help="Institution slug.")


def register(app: typer.Typer) -> None:
    """Add ``microcred edc`` to the command line."""
    app.add_typer(edc_app, name="edc")


def _seal_problems() -> tuple[type[Exception], ...]:
    """Return the errors of an unusable certificate or KEK (exit code 2)."""
    from microcred.crypto.key_sealing import SealError
    from microcred.crypto.x509_seal import SealCertificateError

    return (SealCertificateError, SealError)


def _seals(ctx: typer.Context) -> SealCertificates:
    from microcred.services.seal_certificates import SealCertificates

    return SealCertificates(open_database(ctx), command_settings(ctx))


def _print(info: Any) -> None:
    table = Table("institution", "subject", "organisation identifier", "valid until", "test")
    table.add_row(
        info.institution,
        info.subject,
        info.organisation_identifier or "",
        info.not_after.strftime("%Y-%m-%d"),
        "TEST" if info.is_test else "",
    )
    out().print(table)


@seal_cert_app.command("import")
@translate_errors(bad_input=_seal_problems)
def seal_cert_import(
    ctx: typer.Context,
    slug: str = SLUG,
    file: Path = typer.Argument(..., metavar="FILE.p12", help="PKCS#12 file (.p12, .pfx)."),
    password_env: str = typer.Option(
        "MICROCRED_SEAL_PASSWORD", help="Environment variable holding the file's password."
    ),
) -> None:
    """Store a PKCS#12 seal certificate and key as the institution's active seal."""
    from microcred.config import secret_from_environment

    data = file.read_bytes()
    password = secret_from_environment(password_env)
    _print(_seals(ctx).import_pkcs12(slug, data, password.get_secret_value() or None))


@seal_cert_app.command("create-test")
@translate_errors(bad_input=_seal_problems)
def seal_cert_create_test(
    ctx: typer.Context,
    slug: str = SLUG,
    root_out: Path | None = typer.Option(
        None, help="Write the TEST root certificate (PEM) here, for a test trust store."
    ),
) -> None:
    """Make a TEST seal certificate (not qualified, trusted by nobody) for the institution."""
    info, root = _seals(ctx).create_test(slug)
    _print(info)
    if root_out is not None:
        from cryptography.hazmat.primitives import serialization

        root_out.write_bytes(root.public_bytes(serialization.Encoding.PEM))
        out().print(f"TEST root written to {root_out}")
