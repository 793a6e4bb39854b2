"""``microcred spec import / list / export`` and ``db upgrade`` on a SQLite file."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from click.testing import Result

from microcred.domain.specification import Specification
from microcred.formats.elm.sample import COMMISSION_SAMPLE
from microcred.store.database import Database
from support.examples import example_specification

Invoke = Callable[..., Result]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def listed_ids(invoke: Invoke, db_url: str, *options: str) -> list[str]:
    result = invoke("--db", db_url, "spec", "list", *options)
    assert result.exit_code == 0, result.output
    return UUID.findall(result.stdout)


def test_import_list_export_round_trip_keeps_the_specification(
    invoke: Invoke, db_url: str, compliant_file: Path
) -> None:
    imported = invoke("--db", db_url, "spec", "import", str(compliant_file))
    assert imported.exit_code == 0, imported.output
    [spec_id] = UUID.findall(imported.stdout)

    listing = invoke("--db", db_url, "spec", "list")
    assert spec_id in listing.stdout
    assert "Data Literacy for Public Administration" in listing.stdout

    for output_format, parse in (("json", json.loads), ("yaml", yaml.safe_load)):
        exported = invoke("--db", db_url, "spec", "export", spec_id, "--format", output_format)
        assert exported.exit_code == 0, exported.output
        assert Specification.model_validate(parse(exported.stdout)) == example_specification()


def test_exported_file_imports_again_as_a_second_specification(
    invoke: Invoke, db_url: str, compliant_file: Path, tmp_path: Path
) -> None:
    [spec_id] = UUID.findall(invoke("--db", db_url, "spec", "import", str(compliant_file)).stdout)
    exported = tmp_path / "exported.json"
    exported.write_text(invoke("--db", db_url, "spec", "export", spec_id).stdout)
    again = invoke("--db", db_url, "spec", "import", str(exported))
    assert again.exit_code == 0, again.output
    assert len(listed_ids(invoke, db_url)) == 2


def test_import_with_publish_publishes_a_compliant_specification(
    invoke: Invoke, db_url: str, compliant_file: Path
) -> None:
    result = invoke("--db", db_url, "spec", "import", "--publish", str(compliant_file))
    assert result.exit_code == 0, result.output
    assert "published" in result.stdout
    assert len(listed_ids(invoke, db_url, "--status", "published")) == 1


def test_a_malformed_file_among_several_stores_nothing(
    invoke: Invoke, db_url: str, compliant_file: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: {en: Broken}\nworkload: {ects: five}\n")
    result = invoke("--db", db_url, "spec", "import", str(compliant_file), str(bad))
    assert result.exit_code == 2
    assert "workload.ects" in result.stderr
    assert listed_ids(invoke, db_url) == []


def test_publishing_a_non_compliant_import_is_refused_and_stores_nothing(
    invoke: Invoke, db_url: str
) -> None:
    result = invoke("--db", db_url, "spec", "import", "--publish", str(COMMISSION_SAMPLE))
    assert result.exit_code == 1
    assert "MC-M11" in result.stderr
    assert "nothing was stored" in result.stderr
    assert listed_ids(invoke, db_url) == []


def test_importing_the_commission_sample_creates_its_awarding_body(
    invoke: Invoke, db_url: str
) -> None:
    result = invoke("--db", db_url, "spec", "import", str(COMMISSION_SAMPLE))
    assert result.exit_code == 0, result.output
    assert "university-of-zed" in result.stdout
    assert "draft" in result.stdout
    assert len(listed_ids(invoke, db_url, "--institution", "university-of-zed")) == 1


def test_import_into_a_named_institution(invoke: Invoke, db_url: str, compliant_file: Path) -> None:
    result = invoke(
        "--db", db_url, "spec", "import", "--institution", "cpd-office", str(compliant_file)
    )
    assert result.exit_code == 0, result.output
    assert len(listed_ids(invoke, db_url, "--institution", "cpd-office")) == 1


def test_list_filters_by_text_in_any_language(
    invoke: Invoke, db_url: str, compliant_file: Path
) -> None:
    invoke("--db", db_url, "spec", "import", str(compliant_file), str(COMMISSION_SAMPLE))
    assert len(listed_ids(invoke, db_url)) == 2
    assert len(listed_ids(invoke, db_url, "--text", "datenkompetenz")) == 1
    assert len(listed_ids(invoke, db_url, "--text", "micro-credential creation")) == 1


def test_list_with_an_unknown_status_exits_2_with_one_line(invoke: Invoke, db_url: str) -> None:
    result = invoke("--db", db_url, "spec", "list", "--status", "retired")
    assert result.exit_code == 2
    assert "--status" in result.stderr
    assert "Traceback" not in result.output


def test_export_of_an_unknown_id_fails_with_a_clear_line(invoke: Invoke, db_url: str) -> None:
    result = invoke("--db", db_url, "spec", "export", "0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90")
    assert result.exit_code == 1
    assert "0b5c7a3e-1f5d-4c1a-9d2e-6f1f5e7a8b90" in result.stderr
    assert "Traceback" not in result.output


def test_export_in_an_unknown_format_is_refused(
    invoke: Invoke, db_url: str, compliant_file: Path
) -> None:
    [spec_id] = UUID.findall(invoke("--db", db_url, "spec", "import", str(compliant_file)).stdout)
    result = invoke("--db", db_url, "spec", "export", spec_id, "--format", "xml")
    assert result.exit_code == 2
    assert "json or yaml" in result.stderr


def test_an_unmigrated_database_migrates_itself_on_sqlite_and_says_to_upgrade_on_a_server(
    invoke: Invoke, fresh_database_url: str
) -> None:
    result = invoke("--db", fresh_database_url, "spec", "list")
    if fresh_database_url.startswith("sqlite"):  # the embedded default: a fresh data dir works
        assert result.exit_code == 0, result.output
        assert "0 specification(s)" in result.stdout
        assert Database(fresh_database_url).is_current()
    else:  # a server's schema changes only when its operator says so
        assert result.exit_code == 2
        assert "microcred db upgrade" in result.stderr
        assert Database(fresh_database_url).current_revision() is None


def test_db_upgrade_twice_is_harmless(invoke: Invoke, db_url: str) -> None:
    result = invoke("--db", db_url, "db", "upgrade")
    assert result.exit_code == 0
    assert "up to date" in result.stdout


def test_import_into_an_institution_with_a_bad_slug_exits_2_and_stores_nothing(
    invoke: Invoke, db_url: str, compliant_file: Path
) -> None:
    result = invoke(
        "--db", db_url, "spec", "import", "--institution", "Bad Slug", str(compliant_file)
    )
    assert result.exit_code == 2
    assert "slug 'Bad Slug'" in result.stderr
    assert listed_ids(invoke, db_url) == []
