"""Where microcred keeps its data and how it is reached: environment variables, else a TOML file.

Every setting has an environment variable, ``MICROCRED_`` and its name in capitals (one
exception, kept for compatibility: ``trusted_issuers_file`` is ``MICROCRED_TRUSTED_ISSUERS``).
``MICROCRED_CONFIG`` may name a TOML file of ``name = value`` lines; a variable set in the
environment wins over the file, and a value passed to ``Settings(...)`` wins over both.

Values are checked when the settings are read: a wrong one raises `ConfigError`, which names
each setting to fix and never repeats a secret. Secrets (`Secret`, pydantic's ``SecretStr``)
print as ``'********'`` everywhere (``str``, ``repr``, f-strings, logs, ``config show``); URLs
that may carry a password (`SecretUrl`) print with the password masked. The code that needs a
secret asks for it with ``get_secret_value()``.

This module is the only one that reads ``MICROCRED_`` variables: every other module reads its
settings through `current_settings()` or the `Settings` it is given. No secret is ever written
into the environment, so processes this one starts do not inherit one from it.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

CONFIG_VARIABLE = "MICROCRED_CONFIG"
PREFIX = "MICROCRED_"
MASK = "********"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "microcred"


def trusted_list_folder(settings: Settings) -> Path:
    """Return the folder the verified EU trusted lists are kept in."""
    return Path(settings.trusted_list_dir or default_data_dir() / "trusted-lists")


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'microcred.db'}"


class ConfigError(ValueError):
    """The configuration cannot be used; ``problems`` says which setting to fix, one a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


class Secret(SecretStr):
    """A secret: shown masked by ``str()``, ``repr()``, an f-string, a log line or ``config show``.

    The value itself comes only from ``get_secret_value()``, so printing a secret by accident
    (``f"{settings.kek}"``) shows the mask, never the secret.
    """

    def _display(self) -> str:
        return self.masked()

    def masked(self) -> str:
        return MASK if self.get_secret_value() else ""

    def hidden_part(self) -> str:
        """Return the part of the value that must never be shown (all of it, for a Secret)."""
        return self.get_secret_value()


class SecretUrl(Secret):
    """A URL that may carry a password: shown with the password masked, the rest readable."""

    def masked(self) -> str:
        import sqlalchemy as sa

        text = self.get_secret_value()
        try:
            url = sa.make_url(text)
        except sa.exc.ArgumentError:
            return MASK if text else ""
        if url.password is None:
            return text
        return url.render_as_string(hide_password=True).replace("***", MASK)

    def hidden_part(self) -> str:
        import sqlalchemy as sa

        text = self.get_secret_value()
        try:
            return str(sa.make_url(text).password or "")
        except sa.exc.ArgumentError:
            return text


# The start of a database URL as SQLAlchemy reads it: backend[+driver]://
DATABASE_SCHEME = re.compile(r"(?P<name>[\w+]+)://")

# The package a service URL needs, and what for.
SERVICE_PACKAGES = {
    "broker_url": ("celery", "a broker (jobs on Celery workers)"),
    "redis_url": ("redis", "Redis (shared rate limits)"),
}


def _require_scale_package(package: str, purpose: str) -> None:
    """Refuse a setting whose library is not installed: PostgreSQL, Celery and Redis come with
    the ``scale`` extra, which the default install (SQLite, jobs in-process) leaves out."""
    if importlib.util.find_spec(package) is None:
        raise ValueError(
            f"needs the '{package}' package for {purpose}; install it with "
            "pip install 'microcred[scale]'"
        )


# Settings whose variable is not MICROCRED_ and the name in capitals.
RENAMED = {"trusted_issuers_file": "MICROCRED_TRUSTED_ISSUERS"}


class RenamedVariables(PydanticBaseSettingsSource):
    """The variables of `RENAMED`, read like every other."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # every value comes from __call__

    def __call__(self) -> dict[str, Any]:
        return {name: os.environ[var] for name, var in RENAMED.items() if var in os.environ}


class ConfigFile(PydanticBaseSettingsSource):
    """The TOML file named by MICROCRED_CONFIG: flat ``name = value`` lines."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # every value comes from __call__

    def __call__(self) -> dict[str, Any]:
        path = os.environ.get(CONFIG_VARIABLE, "")
        return read_config_file(Path(path)) if path else {}


def read_config_file(path: Path) -> dict[str, Any]:
    """Return the settings in a TOML file; `ConfigError` names the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            [f"{CONFIG_VARIABLE}: cannot read {path} ({error.strerror}); fix the path or unset it"]
        ) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not a UTF-8 text file"]) from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path}: not valid TOML ({error})"]) from None
    nested = sorted(name for name, value in values.items() if isinstance(value, dict))
    if nested:
        raise ConfigError(
            [
                f"{path}: [{name}] tables are not settings; write 'name = value' lines"
                for name in nested
            ]
        )
    return values


class Settings(BaseSettings):
    """The effective configuration of one microcred process."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        validate_default=False,
    )

    database_url: SecretUrl = Field(default_factory=lambda: SecretUrl(default_database_url()))
    base_url: str = "http://127.0.0.1:8000"
    secret_key: Secret = Secret("")
    eslp_min_eqf: int = Field(5, ge=1, le=8)
    # TOML or JSON list of trusted credential issuers (see microcred.verify.trust); "" for none.
    trusted_issuers_file: str = ""
    # The operator's bootstrap token: a Bearer token acting as the instance operator with every
    # scope (docs/roles.md); "" for none. Everyone else uses their own API tokens.
    api_token: Secret = Secret("")
    # A folder of operator-pinned JSON-LD contexts with its index.json (URL -> file, SHA-256),
    # filled by `microcred contexts add`; served beside the package's own pins. "" for none.
    contexts_dir: str = ""
    # "web": institutions issue as did:web under base_url; "key": as did:key (offline use).
    issuer_did_method: str = "web"
    # OpenID Connect single sign-on (docs/roles.md); off while the issuer URL is "".
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: Secret = Secret("")
    # Outgoing e-mail (claim links, one-time codes); an empty host sends nothing.
    smtp_host: str = ""
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: Secret = Secret("")
    smtp_from: str = "microcred@localhost"
    smtp_starttls: bool = True
    # Set only by `microcred demo`: e-mail is kept in the demo outbox (/demo/outbox), not sent.
    demo_mode: bool = False
    broker_url: SecretUrl = SecretUrl("")  # Celery's broker (Redis or RabbitMQ); "" in-process
    job_queue: str = "microcred"  # the Celery queue jobs are sent to and workers take them from
    job_chunk_size: int = Field(0, ge=0)  # rows per job chunk; 0: the job kind's own size
    # Processes signing bulk chunks; unset: the cores this process may use (when 2 or more),
    # 0: sign in the job's own process.
    signing_processes: int | None = Field(None, ge=0)
    redis_url: SecretUrl = SecretUrl("")  # shared rate limits; "" keeps them in each process
    # Rate limits, "N/SECONDS": public verifier calls per client, failed sign-ins per client
    # address and per account (see microcred.security.rate_limits).
    rate_limit_verify: str = "60/60"
    rate_limit_login_ip: str = "30/900"
    rate_limit_login_account: str = "10/900"
    # The key-encryption key sealing issuer keys: base64 of 32 bytes, or a file holding them.
    # With neither, a fresh installation creates kek.key in the data folder.
    kek: Secret = Secret("")
    kek_file: str = ""
    # Issuer keys in an HSM: the PKCS#11 library and the PIN of its token.
    pkcs11_module: str = ""
    pkcs11_pin: Secret = Secret("")
    # A folder of PEM root certificates an EDC's JAdES seal must chain to; "" for none.
    seal_trust_dir: str = ""
    # An RFC 3161 time-stamping authority (an http(s) URL): when set, EDC seals (JAdES) and PDF
    # certificates (PAdES) are raised to seal_level; the requests follow the fetch policy below.
    tsa_url: str = ""
    # With a TSA, how far EDC and PDF seals are raised (ETSI TS 119 182-1, EN 319 142-1): B-T
    # (signature time-stamp), B-LT (plus the chain and OCSP/CRL answers fetched at sealing),
    # B-LTA (plus an archive time-stamp over all of it).
    seal_level: Literal["B-T", "B-LT", "B-LTA"] = "B-LTA"
    # EU trusted lists (ETSI TS 119 612), fetched by `microcred trust refresh`: the List of
    # Trusted Lists, a PEM file of the certificates pinned as its signers (the Commission
    # publishes them in the Official Journal; nothing is trusted without one), the folder
    # the verified lists are kept in ("" for trusted-lists/ in the data folder), and the
    # territories to fetch (comma-separated, e.g. "DE, AT"; "" for every one).
    trusted_list_url: str = "https://ec.europa.eu/tools/lotl/eu-lotl.xml"
    trusted_list_signers: str = ""
    trusted_list_dir: str = ""
    trusted_list_territories: str = ""
    # The audit log signs a checkpoint (its head and length) with the instance's key each time
    # it reaches a multiple of this many events; 0 leaves checkpoints to `microcred audit
    # checkpoint`.
    audit_checkpoint_every: int = Field(1000, ge=0)
    # The server migrates an out-of-date schema at start only when this (or --migrate) says so.
    auto_migrate: bool = False
    # Outbound reads (did:web, status lists, links; see microcred.net): only public addresses
    # unless one of these admits more (tests, intranets). Plain http goes only to those.
    fetch_allow_private: bool = False
    fetch_allowed_networks: str = ""  # comma-separated, e.g. "10.20.0.0/16, fd00:1::/48"
    fetch_ca_file: str = ""  # PEM CA certificates trusted besides the system's (an intranet CA)
    # "auto": JSON lines, or plain text when standard error is a terminal.
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise ConfigError(problems_of(error)) from None

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.shown().items())
        return f"Settings({shown})"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, RenamedVariables(settings_cls), ConfigFile(settings_cls)

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or value[-3:] == "://":
            raise ValueError("must be an http(s) URL such as https://credentials.uni.example")
        if "?" in value or "#" in value:
            raise ValueError("must not hold a query or a fragment")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretUrl) -> SecretUrl:
        # The scheme alone decides, read without SQLAlchemy (commands that need no database
        # start without it); SQLAlchemy reads the rest of the URL when the database is opened.
        scheme = DATABASE_SCHEME.match(value.get_secret_value())
        if scheme is None:
            raise ValueError(
                "is not a database URL; use postgresql+psycopg://user@host/name "
                "or sqlite:///path/to/file.db"
            )
        backend = scheme["name"].split("+")[0]
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"names {backend!r}; use PostgreSQL or SQLite")
        if scheme["name"] == "postgresql+psycopg":
            _require_scale_package("psycopg", "PostgreSQL")
        return value

    @field_validator("broker_url", "redis_url")
    @classmethod
    def _check_service_url(cls, value: SecretUrl, info: ValidationInfo) -> SecretUrl:
        if value.get_secret_value():
            _require_scale_package(*SERVICE_PACKAGES[str(info.field_name)])
        return value

    @field_validator("issuer_did_method")
    @classmethod
    def _check_did_method(cls, value: str) -> str:
        if value not in ("web", "key"):
            raise ValueError("must be 'web' or 'key'")
        return value

    @field_validator("fetch_allowed_networks")
    @classmethod
    def _check_networks(cls, value: str) -> str:
        for part in (p.strip() for p in value.split(",")):
            if part:
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(
                        f"{part!r} is not a network; write e.g. 10.20.0.0/16, fd00::/8"
                    ) from None
        return value

    def shown(self) -> dict[str, Any]:
        """Return every setting by name, secrets masked (what ``config show`` prints).

        Masking goes by the field's type, so a secret is masked even if it was set as a plain
        string behind the model's back.
        """
        return {name: _masked(name, value) for name, value in self}


def _masked(name: str, value: Any) -> Any:
    kind = Settings.model_fields[name].annotation
    if isinstance(kind, type) and issubclass(kind, Secret):
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        return kind(text).masked()
    return value


def _secret_fields() -> frozenset[str]:
    return frozenset(
        name
        for name, info in Settings.model_fields.items()
        if isinstance(info.annotation, type) and issubclass(info.annotation, Secret)
    )


def environment_variable(name: str) -> str:
    """Return the environment variable of the setting ``name``."""
    return RENAMED.get(name) or PREFIX + name.upper()


def problems_of(error: ValidationError) -> list[str]:
    """Return one line per wrong setting: its variable, what is wrong, and (if not secret) what
    was given."""
    problems = []
    for issue in error.errors():
        name = str(issue["loc"][0]) if issue["loc"] else "settings"
        name = _field_name(name)
        where = f"{environment_variable(name)} ({name})" if name in Settings.model_fields else name
        message = str(issue["msg"]).removeprefix("Value error, ")
        if issue["type"] == "extra_forbidden":
            known = ", ".join(sorted(Settings.model_fields))
            problems.append(f"{name}: not a setting of microcred (known: {known})")
            continue
        given = issue.get("input")
        if name in _secret_fields() or isinstance(given, dict) or given is None:
            problems.append(f"{where}: {message}")
        else:
            problems.append(f"{where}: {message}, got {str(given)!r}")
    return problems


def _field_name(name: str) -> str:
    return name.lower().removeprefix(PREFIX.lower())


def setting_sources() -> dict[str, str]:
    """Return where each setting's value comes from: its environment variable, the config
    file, or "default"."""
    path = os.environ.get(CONFIG_VARIABLE, "")
    in_file = read_config_file(Path(path)) if path else {}
    found = {}
    for name in Settings.model_fields:
        if os.environ.get(environment_variable(name)) is not None:
            found[name] = environment_variable(name)
        elif name in in_file:
            found[name] = path
        else:
            found[name] = "default"
    return found


def current_settings() -> Settings:
    """Return this process's settings, read afresh from the environment and the config file.

    Every module reads its settings here (or from the `Settings` handed to it), never from
    ``os.environ``. Reading afresh costs well under a millisecond and means a changed
    environment (a test, a new config file) is seen at once.
    """
    return Settings()


def secret_from_environment(variable: str) -> Secret:
    """Return the secret in the environment variable ``variable`` (empty when unset), for a
    command told to read one there (``edc seal-cert import --password-env``)."""
    return Secret(os.environ.get(variable, ""))


def use_database_url(url: str) -> None:
    """Make ``url`` the database of the processes this one starts (``serve --workers``).

    Only a URL without a password may travel in the environment; one with a password must come
    from the config file or the operator's own ``MICROCRED_DATABASE_URL``.
    """
    import sqlalchemy as sa

    if sa.make_url(url).password is not None:
        raise ConfigError(
            [
                f"{environment_variable('database_url')}: a database URL with a password is not "
                "handed to other processes; put it in the config file (MICROCRED_CONFIG) instead "
                "of --db"
            ]
        )
    os.environ[environment_variable("database_url")] = url


def use_config_file(path: Path) -> None:
    """Make ``path`` the config file of this process and of the processes it starts.

    Only the file's name goes into the environment, never a value from it: each process
    reads the file itself.
    """
    os.environ[CONFIG_VARIABLE] = str(path)
