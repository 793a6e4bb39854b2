"""Settings from the environment and an optional TOML file, checked at start-up, secrets masked."""

from __future__ import annotations

import ast
import base64
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import microcred
from microcred.cli.common import load_settings
from microcred.cli.main import app
from microcred.config import (
    ConfigError,
    Settings,
    current_settings,
    environment_variable,
    use_database_url,
)
from microcred.jobs.model import chunk_size
from microcred.security.rate_limits import Limit, RateLimits
from microcred.services.bulk.signing import shared_pool, signing_processes

SECRET = "a-very-secret-session-key"


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "microcred.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_toml_file_sets_what_the_environment_leaves_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = config_file(
        tmp_path,
        'base_url = "https://credentials.uni.example"\nsmtp_port = 2525\n'
        'trusted_issuers_file = "/etc/microcred/trusted.toml"\n',
    )
    monkeypatch.setenv("MICROCRED_CONFIG", str(path))
    monkeypatch.setenv("MICROCRED_SMTP_PORT", "465")
    settings = Settings()
    assert settings.base_url == "https://credentials.uni.example"
    assert settings.smtp_port == 465, "the environment wins over the file"
    assert settings.trusted_issuers_file == "/etc/microcred/trusted.toml"
    assert Settings(smtp_port=25).smtp_port == 25, "a value passed in wins over both"


def test_the_old_variable_of_the_trusted_issuers_file_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MICROCRED_TRUSTED_ISSUERS", "/srv/trusted.json")
    assert Settings().trusted_issuers_file == "/srv/trusted.json"


def test_each_wrong_setting_is_named_with_its_variable_and_what_to_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MICROCRED_SMTP_PORT", "twenty-five")
    monkeypatch.setenv("MICROCRED_BASE_URL", "credentials.uni.example")
    monkeypatch.setenv("MICROCRED_ISSUER_DID_METHOD", "ebsi")
    monkeypatch.setenv("MICROCRED_ESLP_MIN_EQF", "9")
    with pytest.raises(ConfigError) as raised:
        Settings()
    problems = "\n".join(raised.value.problems)
    assert len(raised.value.problems) == 4
    assert "MICROCRED_SMTP_PORT (smtp_port)" in problems and "'twenty-five'" in problems
    assert "MICROCRED_BASE_URL (base_url): must be an http(s) URL" in problems
    assert "MICROCRED_ISSUER_DID_METHOD (issuer_did_method): must be 'web' or 'key'" in problems
    assert "MICROCRED_ESLP_MIN_EQF (eslp_min_eqf)" in problems


def test_a_wrong_secret_is_named_but_never_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings(database_url="mysql://root:hunter2hunter2@db/x")
    assert "MICROCRED_DATABASE_URL" in str(raised.value)
    assert "hunter2hunter2" not in str(raised.value)


def test_an_unknown_name_or_a_broken_file_is_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_CONFIG", str(config_file(tmp_path, 'base_ulr = "https://x"\n')))
    with pytest.raises(ConfigError, match="base_ulr: not a setting of microcred"):
        Settings()
    monkeypatch.setenv("MICROCRED_CONFIG", str(config_file(tmp_path, "base_url = \n")))
    with pytest.raises(ConfigError, match="microcred.toml: not valid TOML"):
        Settings()
    monkeypatch.setenv("MICROCRED_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="MICROCRED_CONFIG: cannot read .*missing.toml"):
        Settings()


def test_secrets_are_masked_in_repr_but_used_as_themselves() -> None:
    settings = Settings(
        secret_key=SECRET, database_url="postgresql+psycopg://mc:pg-password-1@db/mc"
    )
    assert settings.secret_key.get_secret_value() == SECRET
    assert SECRET not in repr(settings) and "pg-password-1" not in repr(settings)
    assert "postgresql+psycopg://mc:********@db/mc" in repr(settings)


def test_no_way_of_printing_the_settings_or_a_secret_shows_it() -> None:
    kek = base64.b64encode(bytes(range(32))).decode()
    settings = Settings(
        kek=kek,
        secret_key=SECRET,
        pkcs11_pin="pin-24681357",
        database_url="postgresql+psycopg://mc:pg-password-1@db/mc",
        broker_url="amqp://mq:mq-password-2@mq:5672//",
        redis_url="redis://:redis-password-3@cache:6379/0",
    )
    printed = [
        f"{settings}",
        str(settings),
        repr(settings),
        f"{settings.kek}",
        format(settings.kek),
        f"{settings.secret_key} {settings.pkcs11_pin}",
        f"{settings.database_url} {settings.broker_url} {settings.redis_url}",
        str(settings.model_dump()),
    ]
    for text in printed:
        for secret in (kek, SECRET, "pin-24681357", "pg-password-1", "mq-password-2"):
            assert secret not in text, text
        assert "redis-password-3" not in text, text
    assert f"{settings.kek}" == "********"
    assert f"{settings.redis_url}" == "redis://:********@cache:6379/0"
    assert settings.kek.get_secret_value() == kek


SECRET_VARIABLES = ("MICROCRED_KEK", "MICROCRED_SECRET_KEY", "MICROCRED_DATABASE_URL")


def test_loading_a_config_file_puts_none_of_its_secrets_into_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kek = base64.b64encode(bytes(range(32))).decode()
    # The test's own copy of the environment: whatever loading writes there is dropped after.
    environment = {name: value for name, value in os.environ.items() if "MICROCRED_" not in name}
    monkeypatch.setattr(os, "environ", environment)
    path = config_file(
        tmp_path,
        f'kek = "{kek}"\nsecret_key = "{SECRET}"\n'
        'database_url = "postgresql+psycopg://mc:pg-password-1@db/mc"\n'
        'broker_url = "redis://:redis-password-3@127.0.0.1:6379/0"\n'
        'redis_url = "redis://:redis-password-3@127.0.0.1:6379/1"\n',
    )
    settings = load_settings(path)
    assert settings.kek.get_secret_value() == kek
    assert os.environ is environment
    variables = "\n".join(f"{name}={value}" for name, value in environment.items())
    for secret in (kek, SECRET, "pg-password-1", "redis-password-3"):
        assert secret not in variables
    assert not [name for name in os.environ if name in SECRET_VARIABLES]


def test_settings_read_by_the_modules_come_from_the_config_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("job_chunk_size", "signing_processes", "rate_limit_verify", "job_queue"):
        monkeypatch.delenv(environment_variable(name), raising=False)
    path = config_file(
        tmp_path,
        'job_chunk_size = 7\nsigning_processes = 0\nrate_limit_verify = "5/10"\n'
        'job_queue = "microcred-test"\n',
    )
    monkeypatch.setenv("MICROCRED_CONFIG", str(path))
    assert chunk_size(500) == 7
    assert signing_processes() == 0 and shared_pool() is None
    assert RateLimits.from_settings(current_settings()).verify == Limit(5, 10)
    assert current_settings().job_queue == "microcred-test"


def test_config_show_lists_every_setting_the_modules_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["config", "show", "--json"],
        env={"MICROCRED_PKCS11_PIN": "pin-24681357", "MICROCRED_SIGNING_PROCESSES": "2"},
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert list(shown) == list(Settings.model_fields)
    read_by_modules = {
        "job_chunk_size",
        "job_queue",
        "signing_processes",
        "seal_trust_dir",
        "rate_limit_verify",
        "rate_limit_login_ip",
        "rate_limit_login_account",
        "pkcs11_module",
        "pkcs11_pin",
        "kek",
        "kek_file",
        "broker_url",
        "redis_url",
    }
    assert read_by_modules <= set(shown)
    assert shown["pkcs11_pin"] == "********" and shown["signing_processes"] == 2
    assert "pin-24681357" not in result.output


SOURCE = Path(microcred.__file__).parent
# The one module allowed to read MICROCRED_ variables: the settings themselves.
READS_ENVIRONMENT = {"config.py"}


def _environment_uses(tree: ast.AST) -> list[int]:
    """Return the lines where a module uses ``os.environ`` or ``os.getenv``/``getenv``."""
    names = ("environ", "getenv")
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in names)
        or (isinstance(node, ast.Name) and node.id in names)
    ]


def _variable_names(tree: ast.AST) -> set[str]:
    """Return the string constants of a module that are whole MICROCRED_ variable names."""
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"MICROCRED_[A-Z0-9_]+", node.value)
    }


def test_no_module_but_config_reads_microcred_variables_from_the_environment() -> None:
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        name = str(path.relative_to(SOURCE))
        if name in READS_ENVIRONMENT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses, names = _environment_uses(tree), _variable_names(tree)
        if uses and names:
            offenders.append(f"{name}: environment at lines {uses}, names {sorted(names)}")
    assert offenders == []


def test_config_show_prints_every_setting_with_its_source_and_secrets_masked(
    tmp_path: Path,
) -> None:
    path = config_file(tmp_path, 'base_url = "https://credentials.uni.example"\n')
    result = CliRunner().invoke(
        app,
        ["config", "show"],
        env={"MICROCRED_CONFIG": str(path), "MICROCRED_SECRET_KEY": SECRET, "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert 'base_url = "https://credentials.uni.example"  # ' + str(path) in result.output
    assert 'secret_key = "********"  # MICROCRED_SECRET_KEY' in result.output
    assert "eslp_min_eqf = 5  # default" in result.output
    assert SECRET not in result.output


def test_a_command_refuses_to_start_on_a_wrong_setting(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["config", "show"], env={"MICROCRED_SMTP_PORT": "0"})
    assert result.exit_code == 2
    assert "MICROCRED_SMTP_PORT (smtp_port)" in result.output


def test_a_database_url_with_a_password_is_not_handed_to_other_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "environ", {"PATH": "/usr/bin"})
    with pytest.raises(ConfigError, match="put it in the config file") as raised:
        use_database_url("postgresql+psycopg://mc:pg-password-1@db/mc")
    assert "pg-password-1" not in str(raised.value)
    assert os.environ == {"PATH": "/usr/bin"}
    use_database_url("postgresql+psycopg://mc@db/mc")
    assert os.environ["MICROCRED_DATABASE_URL"] == "postgresql+psycopg://mc@db/mc"


@pytest.mark.parametrize(
    ("setting", "url", "package"),
    [
        ("database_url", "postgresql+psycopg://mc@db/mc", "psycopg"),
        ("broker_url", "redis://127.0.0.1:6379/0", "celery"),
        ("redis_url", "redis://127.0.0.1:6379/1", "redis"),
    ],
)
def test_a_service_whose_package_is_not_installed_is_refused_with_the_extra_to_install(
    setting: str, url: str, package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default install leaves out the scale extra; naming its services says what to add."""
    installed = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == package else installed(name, *args),
    )
    with pytest.raises(ConfigError) as raised:
        Settings(**{setting: url})
    assert f"needs the '{package}' package" in str(raised.value)
    assert "pip install 'microcred[scale]'" in str(raised.value)
    monkeypatch.undo()
    assert getattr(Settings(**{setting: url}), setting).get_secret_value() == url
