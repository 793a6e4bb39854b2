"""`microcred doctor`: each part checked, each problem with what to fix."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.config import Settings
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.store.database import Database
from served import free_port

KEK = bytes(range(32))
OTHER_KEK = bytes(range(1, 33))


def doctor(env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "300", **env})
    return result.exit_code, result.output


def database_with_a_sealed_key(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'microcred.db'}"
    database = Database(url)
    database.upgrade()
    Catalogue(database).ensure_institution("uni-example", {"en": "Example University"})
    IssuerKeys(database, Settings(database_url=url), kek=KEK).ensure_key("uni-example")
    database.dispose()
    return url


def test_doctor_flags_a_stopped_postgresql_and_says_how_to_start_it(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    code, output = doctor({"MICROCRED_DATABASE_URL": url, "XDG_DATA_HOME": str(tmp_path)})
    assert code == 1
    assert "failed   database:" in output
    assert "Connection refused" in output
    assert "to fix: start PostgreSQL" in output and "MICROCRED_DATABASE_URL" in output
    assert "check(s) failed: database" in output


def test_doctor_flags_a_kek_that_does_not_open_the_stored_keys(tmp_path: Path) -> None:
    url = database_with_a_sealed_key(tmp_path)
    wrong = base64.b64encode(OTHER_KEK).decode()
    code, output = doctor({"MICROCRED_DATABASE_URL": url, "MICROCRED_KEK": wrong})
    assert code == 1
    assert (
        "failed   keys: the KEK from MICROCRED_KEK does not open the issuer key of uni-example"
        in output
    )
    assert "to fix: set MICROCRED_KEK or MICROCRED_KEK_FILE to the original KEK" in output
    assert wrong not in output


def test_doctor_passes_the_right_kek_and_a_current_schema(tmp_path: Path) -> None:
    url = database_with_a_sealed_key(tmp_path)
    kek_file = tmp_path / "kek"
    kek_file.write_bytes(base64.b64encode(KEK))
    os.chmod(kek_file, 0o600)
    code, output = doctor({"MICROCRED_DATABASE_URL": url, "MICROCRED_KEK_FILE": str(kek_file)})
    assert "ok       database:" in output
    assert "ok       migrations: schema at" in output
    assert "ok       keys: KEK from MICROCRED_KEK_FILE" in output
    assert "opens the issuer key of uni-example" in output
    assert "warning  smtp: no SMTP host" in output
    assert code == 0, output


def test_doctor_names_the_migration_to_run_on_an_old_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    Database(url).upgrade("0001_catalogue")
    code, output = doctor({"MICROCRED_DATABASE_URL": url})
    assert code == 1
    assert "failed   migrations: the schema is at 0001_catalogue" in output
    assert "to fix: run 'microcred db upgrade'" in output


def test_doctor_flags_a_broker_that_does_not_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'microcred.db'}"
    Database(url).upgrade()
    broker = f"redis://:broker-password@127.0.0.1:{free_port()}/0"
    code, output = doctor({"MICROCRED_DATABASE_URL": url, "MICROCRED_BROKER_URL": broker})
    assert code == 1
    assert "failed   broker:" in output and "to fix: start Redis or RabbitMQ" in output
    assert "broker-password" not in output
