"""Settings from the environment and an optional TOML file, checked at start-up, secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcred.cli import app
from microcred.config import ConfigError, Settings

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
    assert settings.secret_key == SECRET
    assert SECRET not in repr(settings) and "pg-password-1" not in repr(settings)
    assert "postgresql+psycopg://mc:********@db/mc" in repr(settings)


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
