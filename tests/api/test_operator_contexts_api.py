"""A credential using the W3C examples context over the VC API: refused while the context is not
pinned, issued and verified once the operator pinned it, refused again if its file changes."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.formats.jsonld import use_operator_contexts
from microcred.formats.jsonld.operator_contexts import add_context, read_index
from microcred.store.database import Database

TOKEN = "contexts-test-token-77e1"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SLUG = "th-lahntal"
BASE = "https://credentials.th-lahntal.example"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
# The W3C VC 2.0 examples context, as published (see tests/crypto/contexts/PROVENANCE.md).
EXAMPLES_FILE = Path(__file__).parents[1] / "crypto" / "contexts" / "examples-v2.jsonld"


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
    yield
    use_operator_contexts(None)


def client_for(database: Database, contexts_dir: Path | None) -> TestClient:
    settings = Settings(
        database_url=str(database.url),
        base_url=BASE,
        secret_key="test-key",
        api_token=TOKEN,
        contexts_dir=str(contexts_dir or ""),
    )
    app = create_app(settings, database)
    app.state.catalogue.ensure_institution(SLUG, {"en": "TH Lahntal"})
    return TestClient(app)


def alumni_credential() -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "issuer": "did:web:credentials.th-lahntal.example:institutions:th-lahntal",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:abcdefgh",
            "alumniOf": "The School of Examples",
        },
    }


def issue(client: TestClient) -> Any:
    return client.post("/credentials/issue", json={"credential": alumni_credential()}, headers=AUTH)


def test_unpinned_examples_context_is_refused(database: Database) -> None:
    with client_for(database, None) as client:
        response = issue(client)
    assert response.status_code == 422
    assert "unknown JSON-LD context" in response.text and EXAMPLES in response.text


def test_pinned_examples_context_is_issued_and_verified(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "contexts"
    add_context(folder, EXAMPLES_FILE, EXAMPLES)
    with client_for(database, folder) as client:
        issued = issue(client)
        assert issued.status_code == 201, issued.text
        credential = issued.json()["verifiableCredential"]
        report = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert report.status_code == 200, report.text
    assert report.json()["verdict"] == "verified"
    checks = {check["name"]: check["status"] for check in report.json()["checks"]}
    assert checks["contexts"] == "ok" and checks["proof"] == "ok"


def test_changed_context_file_is_refused_on_issue_and_verify(
    database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "contexts"
    add_context(folder, EXAMPLES_FILE, EXAMPLES)
    with client_for(database, folder) as client:
        credential = issue(client).json()["verifiableCredential"]
    [pinned] = read_index(folder).values()
    (folder / pinned.file).write_text('{"@context": {"@vocab": "https://attacker.example/#"}}')
    # A new app reads the folder afresh (a running one keeps the content it checked).
    with client_for(database, tmp_path / "elsewhere"), client_for(database, folder) as client:
        refused = client.post(
            "/credentials/issue",
            json={"credential": {**alumni_credential(), "id": "urn:uuid:another"}},
            headers=AUTH,
        )
        report = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert refused.status_code == 422
    assert "no longer matches its recorded SHA-256" in refused.text
    assert report.json()["verdict"] == "failed"
    contexts = next(check for check in report.json()["checks"] if check["name"] == "contexts")
    assert contexts["status"] == "failed"
    assert "vocabulary this verifier does not know" in contexts["reason"]
    assert "no longer matches its recorded SHA-256" in contexts["details"]["technical"]
