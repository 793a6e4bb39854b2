"""``microcred edc``: the e-seal certificates institutions seal Europass EDCs with.

``seal-cert import SLUG FILE.p12`` stores a PKCS#12 certificate and key (the password from
the environment variable ``--password-env`` names, never from the command line);
``seal-cert create-test SLUG`` makes a TEST certificate, marked "microcred TEST seal — not
qualified", and writes its TEST root to a PEM file a test verifier may trust.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from cryptography.hazmat.primitives import serialization
from rich.table import Table

from microcred.cli import CommandError, _options, open_database, out, reports_errors
from microcred.config import Settings

edc_app = typer.Typer(help="Europass EDC: e-seal certificates.", no_args_is_help=True)
seal_cert_app = typer.Typer(help="Import or make an institution's seal certificate.")
edc_app.add_typer(seal_cert_app, name="seal-cert", no_args_is_help=True)

P = ParamSpec("P")
R = TypeVar("R")

SLUG = typer.Argument(..., metavar="SLUG", help="Institution slug.")


def seal_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a certificate or KEK problem into one clear line and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from microcred.crypto.key_sealing import SealError
        from microcred.crypto.x509_seal import SealCertificateError

        try:
            return command(*args, **kwargs)
        except (SealCertificateError, SealError) as error:
            raise CommandError(str(error)) from None

    return wrapper


def _seals(ctx: typer.Context) -> Any:
    from microcred.services.seal_certificates import SealCertificates

    url = _options(ctx).database_url
    database = open_database(ctx)
    return SealCertificates(database, Settings(database_url=url))


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
@reports_errors
@seal_errors
def seal_cert_import(
    ctx: typer.Context,
    slug: str = SLUG,
    file: Path = typer.Argument(..., metavar="FILE.p12", help="PKCS#12 file (.p12, .pfx)."),
    password_env: str = typer.Option(
        "MICROCRED_SEAL_PASSWORD", help="Environment variable holding the file's password."
    ),
) -> None:
    """Store a PKCS#12 seal certificate and key as the institution's active seal."""
    data = file.read_bytes()
    _print(_seals(ctx).import_pkcs12(slug, data, os.environ.get(password_env)))


@seal_cert_app.command("create-test")
@reports_errors
@seal_errors
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
        root_out.write_bytes(root.public_bytes(serialization.Encoding.PEM))
        out().print(f"TEST root written to {root_out}")
