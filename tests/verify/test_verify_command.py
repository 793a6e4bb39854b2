"""`microcred verify FILE|URL|-`: a table of checks, and an exit code that says the verdict."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.cli.verify import EXIT_CODES, OUTCOME_STYLES, STYLES
from microcred.verify.report import CheckStatus, Outcome

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["verify", *args], input=stdin, env={"COLUMNS": "200"})


@pytest.fixture
def trusted_file(tmp_path, issuer_did):
    path = tmp_path / "trusted.toml"
    path.write_text(f'[[issuers]]\nid = "{issuer_did}"\nname = "TH Lahntal"\n')
    return path


@pytest.fixture
def credential_file(tmp_path, credential):
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential, ensure_ascii=False), encoding="utf-8")
    return path


def test_verified_file_prints_every_check_and_exits_0(credential_file, trusted_file):
    result = run(str(credential_file), "--trusted-issuers", str(trusted_file))
    assert result.exit_code == 0, result.output
    for check in ("parse", "contexts", "data_model", "safe_mode", "proof", "issuer_trust"):
        assert check in result.output
    assert "verified: every check passed" in result.output
    assert "did:key:" in result.output  # printed as written, not turned into an emoji


def test_untrusted_issuer_exits_0_and_says_so(credential_file):
    result = run(str(credential_file))
    assert result.exit_code == 0
    assert "outcome: verified; issuer: untrusted" in result.output
    assert "not a trusted issuer here" in result.output


def test_tampered_file_exits_1_naming_the_proof(tmp_path, credential):
    credential["credentialSubject"]["achievement"]["name"] = "Forged"
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(credential))
    result = run(str(path))
    assert result.exit_code == 1
    assert "failed: proof:" in result.output


def test_credential_from_stdin_is_verified(credential, trusted_file):
    result = run("-", "--trusted-issuers", str(trusted_file), stdin=json.dumps(credential))
    assert result.exit_code == 0, result.output


def test_json_report_on_request(credential_file, trusted_file):
    result = run(str(credential_file), "--json", "--trusted-issuers", str(trusted_file))
    assert json.loads(result.stdout)["verdict"] == "verified"


def test_credential_from_a_link_is_fetched_and_verified(
    loopback, credential, trusted_file, private_fetches
):
    loopback["/badge/1"] = json.dumps(credential).encode()
    url = loopback["base"].decode() + "/badge/1"
    result = run(url, "--trusted-issuers", str(trusted_file))
    assert result.exit_code == 0, result.output


def test_link_to_an_oversized_body_is_refused(loopback, private_fetches):
    loopback["/huge"] = b" " * (1024 * 1024 + 10)
    result = run(loopback["base"].decode() + "/huge")
    assert result.exit_code == 3
    assert "more than 1,048,576 bytes" in result.output


def test_link_that_answers_404_exits_3(loopback, private_fetches):
    result = run(loopback["base"].decode() + "/missing")
    assert result.exit_code == 3
    assert "answered HTTP 404" in result.output


@pytest.mark.parametrize(
    "source",
    ["file:///etc/passwd", "ftp://example.org/badge.json", "http://example.org/badge.json"],
)
def test_only_https_links_are_fetched(source):
    result = run(source)
    assert result.exit_code == 3
    assert "only https URLs are fetched" in result.output


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "169.254.169.254", "[::1]", "[::ffff:127.0.0.1]", "10.1.2.3"]
)
def test_links_to_local_addresses_are_refused_by_default(loopback, credential, host):
    port = loopback["base"].decode().rsplit(":", 1)[1]
    result = run(f"https://{host}:{port}/badge/1")
    assert result.exit_code == 3
    assert "address not allowed" in result.output


def test_missing_file_exits_3_naming_it(tmp_path):
    result = run(str(tmp_path / "nowhere.json"))
    assert result.exit_code == 3
    assert "nowhere.json" in result.output


def test_unreadable_registry_exits_3(credential_file, tmp_path):
    bad = tmp_path / "trusted.toml"
    bad.write_text("issuers = 3")
    result = run(str(credential_file), "--trusted-issuers", str(bad))
    assert result.exit_code == 3
    assert "expected a list called 'issuers'" in result.output


def test_the_command_has_an_exit_code_and_a_style_for_every_outcome_and_check_status() -> None:
    """The command keys them by value, so that it need not import the pipeline to start."""
    assert set(EXIT_CODES) == {str(outcome) for outcome in Outcome}
    assert set(OUTCOME_STYLES) == {str(outcome) for outcome in Outcome}
    assert set(STYLES) == {str(status) for status in CheckStatus}
