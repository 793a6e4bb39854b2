"""`microcred verify` on the demo's own credentials: our institutions' did:web DIDs (under a
plain-http base URL, as the demo serves) resolve from the installation's database; without
it, the report says plainly why a did:web of a plain-http installation cannot be resolved."""

from __future__ import annotations

import json
from pathlib import Path

from demo_support import Seeded
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.services.demo_accounts import LEARNER_EMAIL
from microcred.store.status_tables import IssuedCredentialRow

runner = CliRunner()


def valid_credential_file(seeded: Seeded, tmp_path: Path) -> Path:
    """Write one of the learner's live demo credentials to a file; return its path."""
    made = next(award for award in seeded.result.made if award.learner_email == LEARNER_EMAIL)
    with seeded.database.transaction(write=False) as session:
        document = session.get(IssuedCredentialRow, made.credential_id).document
    assert document["issuer"]["id"].startswith("did:web:testserver")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document))
    return path


def test_verify_command_checks_a_demo_credential_against_the_installations_database(
    seeded: Seeded, tmp_path: Path
) -> None:
    path = valid_credential_file(seeded, tmp_path)
    url = str(seeded.database.url)
    # The command reads the installation's settings, as the server does: the same base URL.
    env = {"COLUMNS": "200", "MICROCRED_BASE_URL": seeded.settings.base_url}
    result = runner.invoke(app, ["--db", url, "verify", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "outcome: verified; issuer: trusted" in result.output
    assert "own institution" in result.output


def test_a_verifier_under_another_base_url_still_resolves_our_keys_from_the_database(
    seeded: Seeded, tmp_path: Path
) -> None:
    # Credentials from before a change of base URL name the old did:web: its key is ours.
    path = valid_credential_file(seeded, tmp_path)
    url = str(seeded.database.url)
    env = {"COLUMNS": "200", "MICROCRED_BASE_URL": "https://new.example"}
    result = runner.invoke(app, ["--db", url, "verify", str(path)], env=env)
    assert "verification method cannot be resolved" not in result.output
    assert "issuer: trusted" in result.output


def test_without_the_database_a_plain_http_did_web_is_explained(
    seeded: Seeded, tmp_path: Path
) -> None:
    path = valid_credential_file(seeded, tmp_path)
    # As `make demo` serves it: did:web on http://127.0.0.1:8000 (no DNS, no connection made:
    # the address policy refuses a loopback address before connecting).
    path.write_text(path.read_text().replace("did:web:testserver", "did:web:127.0.0.1%3A8000"))
    elsewhere = f"sqlite:///{tmp_path / 'no-installation.db'}"
    result = runner.invoke(
        app, ["--db", elsewhere, "verify", "--json", str(path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2, result.output  # indeterminate: the key could not be fetched
    report = json.loads(result.output)
    proof = next(check for check in report["checks"] if check["name"] == "proof")
    assert "key could not be fetched" in proof["reason"]
    assert "did:web is always resolved over https" in proof["details"]["technical"]
