"""Checks of a running deployment: each says whether a part works and, if not, what to fix.

`/readyz` runs the database, migration and broker checks; ``microcred doctor`` runs them all.
A check never raises and never shows a secret (URLs are shown with their password masked).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx
import sqlalchemy as sa

from microcred.config import SecretUrl, Settings, default_data_dir
from microcred.crypto.key_sealing import SealError, find_kek, open_private_key
from microcred.observability.schema import head_revision
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.keys_tables import IssuerKeyRow, KeyStatus

TIMEOUT = 3.0
PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


class Outcome(StrEnum):
    ok = "ok"
    warning = "warning"  # works, but not as a production set-up should
    failed = "failed"


@dataclass(frozen=True)
class Check:
    name: str
    outcome: Outcome
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome == Outcome.failed


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def check_database(database: Database) -> Check:
    """Can a connection be opened and a query answered?"""
    shown = database.url.render_as_string(hide_password=True)
    try:
        with database.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        fix = (
            f"start PostgreSQL ({PG_START}) or point MICROCRED_DATABASE_URL at a running server"
            if database.url.get_backend_name() == "postgresql"
            else "check that the SQLite file's folder exists and is writable"
        )
        return Check("database", Outcome.failed, f"{shown}: {_first_line(error)}", fix)
    return Check("database", Outcome.ok, f"{shown} answers")


def check_migrations(database: Database) -> Check:
    """Is the schema at the newest migration this version of microcred ships?"""
    try:
        if database.is_current():
            return Check("migrations", Outcome.ok, f"schema at {database.current_revision()}")
        current = database.current_revision() or "empty"
    except sa.exc.SQLAlchemyError as error:
        return Check(
            "migrations", Outcome.failed, f"cannot read: {_first_line(error)}", "fix the database"
        )
    return Check(
        "migrations",
        Outcome.failed,
        f"the schema is at {current}, this microcred needs {head_revision()}",
        "run 'microcred db upgrade' (or start the server with --migrate)",
    )


def check_broker(url: SecretUrl) -> Check:
    """Does the job broker (MICROCRED_BROKER_URL) accept a connection?"""
    if not url:
        return Check("broker", Outcome.ok, "none: jobs run inside each API process")
    return _check_connection("broker", url, "MICROCRED_BROKER_URL", "Redis or RabbitMQ")


def check_redis(url: SecretUrl) -> Check:
    """Does the Redis of the shared rate limits (MICROCRED_REDIS_URL) answer?"""
    if not url:
        return Check("redis", Outcome.ok, "none: rate limits are counted per process")
    return _check_connection("redis", url, "MICROCRED_REDIS_URL", "Redis")


def _check_connection(name: str, url: SecretUrl, variable: str, server: str) -> Check:
    shown = url.masked()
    try:
        from kombu import Connection
    except ModuleNotFoundError:  # Celery's transport library comes with the scale extra
        return Check(
            name,
            Outcome.failed,
            f"{shown}: cannot be checked, kombu is not installed",
            "install the scale extra: pip install 'microcred[scale]'",
        )
    try:
        with Connection(url.get_secret_value(), connect_timeout=TIMEOUT) as connection:
            connection.ensure_connection(max_retries=1, timeout=TIMEOUT)
    except Exception as error:  # noqa: BLE001 - every transport fails in its own way
        return Check(
            name,
            Outcome.failed,
            f"{shown}: {_first_line(error)}",
            f"start {server} or correct {variable}",
        )
    return Check(name, Outcome.ok, f"{shown} accepts connections")


def check_kek(database: Database, settings: Settings, data_dir: Path | None = None) -> Check:
    """Is there a key-encryption key, and does it open every active sealed issuer key?

    Run by ``doctor`` and at start-up: a wrong or malformed KEK is found here, before the
    first signing fails.
    """
    try:
        kek, source = find_kek(
            settings.kek.get_secret_value(), settings.kek_file, data_dir or default_data_dir()
        )
    except SealError as error:
        return Check("keys", Outcome.failed, str(error), "set MICROCRED_KEK to base64 of 32 bytes")
    try:
        with database.transaction(write=False) as session:
            sealed = session.execute(
                sa.select(IssuerKeyRow.sealed_private_key, InstitutionRow.slug)
                .outerjoin(InstitutionRow, InstitutionRow.id == IssuerKeyRow.institution_id)
                .where(
                    IssuerKeyRow.key_location == "sealed",
                    IssuerKeyRow.status == KeyStatus.active,
                )
                .order_by(IssuerKeyRow.id)
            ).all()
    except sa.exc.SQLAlchemyError as error:
        return Check("keys", Outcome.failed, f"cannot read issuer keys: {_first_line(error)}")
    if kek is None:
        if not sealed:
            return Check(
                "keys",
                Outcome.warning,
                f"no KEK yet: the first issuer key will create {source}",
                "set MICROCRED_KEK (the same on every node) and keep a copy in your backups",
            )
        return Check(
            "keys",
            Outcome.failed,
            f"issuer keys are stored, but there is no KEK ({source} is missing)",
            "set MICROCRED_KEK or MICROCRED_KEK_FILE to the KEK the keys were sealed with",
        )
    if not sealed:
        return Check("keys", Outcome.ok, f"KEK from {source}; no issuer key is stored yet")
    owners = [row.slug or "the instance" for row in sealed]
    for row, owner in zip(sealed, owners, strict=True):
        try:
            open_private_key(row.sealed_private_key, kek)
        except SealError:
            return Check(
                "keys",
                Outcome.failed,
                f"the KEK from {source} does not open the issuer key of {owner}: "
                "it is not the KEK the keys were sealed with",
                "set MICROCRED_KEK or MICROCRED_KEK_FILE to the original KEK (from your backup); "
                "every API process and worker needs the same one",
            )
    keys = "key" if len(owners) == 1 else "keys"
    return Check(
        "keys", Outcome.ok, f"KEK from {source} opens the issuer {keys} of {', '.join(owners)}"
    )


def check_smtp(settings: Settings) -> Check:
    """Does the SMTP server take a connection (and the login, when a user is set)?"""
    if not settings.smtp_host:
        return Check(
            "smtp",
            Outcome.warning,
            "no SMTP host: claim links and sign-in codes are not sent",
            "set MICROCRED_SMTP_HOST (and _PORT, _USER, _PASSWORD, _FROM)",
        )
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
    except smtplib.SMTPAuthenticationError:
        return Check(
            "smtp",
            Outcome.failed,
            f"{where} refused the login of {settings.smtp_user}",
            "correct MICROCRED_SMTP_USER and MICROCRED_SMTP_PASSWORD",
        )
    except (OSError, smtplib.SMTPException) as error:
        return Check(
            "smtp",
            Outcome.failed,
            f"{where}: {_first_line(error)}",
            "check MICROCRED_SMTP_HOST/_PORT, or set MICROCRED_SMTP_STARTTLS=false for a "
            "server without TLS",
        )
    return Check("smtp", Outcome.ok, f"{where} accepts mail")


def check_base_url(settings: Settings) -> Check:
    """Is the public base URL usable for did:web, and does this instance answer there?"""
    url = settings.base_url.rstrip("/")
    host = httpx.URL(url).host
    if url.startswith("http://") and host not in ("127.0.0.1", "localhost", "::1"):
        return Check(
            "base URL",
            Outcome.failed,
            f"{url} is plain http: did:web and wallets need https",
            "serve microcred behind TLS and set MICROCRED_BASE_URL=https://...",
        )
    try:
        response = httpx.get(f"{url}/healthz", timeout=TIMEOUT, follow_redirects=True)
    except httpx.HTTPError as error:
        return Check(
            "base URL",
            Outcome.warning,
            f"nothing answers at {url}/healthz ({_first_line(error)})",
            "if the server runs, check DNS and the proxy in front of it; if not, start it",
        )
    if response.status_code != 200:
        return Check(
            "base URL",
            Outcome.warning,
            f"{url}/healthz answered {response.status_code}",
            "check that the proxy forwards to microcred",
        )
    return Check("base URL", Outcome.ok, f"{url} answers")


def check_secret_key(settings: Settings) -> Check:
    """Is the session key shared by configuration (needed with more than one API process)?"""
    if settings.secret_key:
        return Check("secret key", Outcome.ok, "MICROCRED_SECRET_KEY is set")
    return Check(
        "secret key",
        Outcome.warning,
        "MICROCRED_SECRET_KEY is not set: each machine uses a key file of its own",
        "with several API processes set MICROCRED_SECRET_KEY to the same random value on each "
        "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')",
    )
