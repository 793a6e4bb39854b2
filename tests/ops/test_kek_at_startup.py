"""A key-encryption key that cannot open the issuer keys is found at start-up, not at the
first signing: `serve` refuses to start, /readyz is not ready, signing answers 503."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings
from microcred.crypto.key_sealing import KEK_FILE
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.store.database import Database
from served import free_port

KEK = base64.b64encode(bytes(range(32))).decode()
OTHER_KEK = base64.b64encode(bytes(range(1, 33))).decode()
BASE_URL = "https://credentials.uni.example"
SLUG = "uni-example"
TOKEN = "operator-token-9d2c41"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MICROCRED = str(Path(sys.executable).parent / "microcred")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The installation's data folder, in the test's own folder and empty."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "microcred"


def database(tmp_path: Path, *, sealed_key: bool) -> str:
    url = f"sqlite:///{tmp_path / 'microcred.db'}"
    made = Database(url)
    made.upgrade()
    Catalogue(made).ensure_institution(SLUG, {"en": "Example University"})
    if sealed_key:
        settings = Settings(database_url=url, base_url=BASE_URL, kek=KEK)
        IssuerKeys(made, settings).ensure_key(SLUG)
    made.dispose()
    return url


def app_with(url: str, kek: str, kek_file: str = "") -> FastAPI:
    settings = Settings(
        database_url=url,
        base_url=BASE_URL,
        secret_key="test-key",
        api_token=TOKEN,
        kek=kek,
        kek_file=kek_file,
    )
    return create_app(settings)


def readiness_and_signing(app: FastAPI) -> tuple[dict[str, object], int, dict[str, object]]:
    """Return /readyz's answer, and the status and body of one signing over the VC API."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": f"did:web:credentials.uni.example:institutions:{SLUG}",
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    with TestClient(app) as client:
        ready = client.get("/readyz")
        issued = client.post("/credentials/issue", json={"credential": credential}, headers=AUTH)
    answer = {**ready.json(), "code": ready.status_code}
    return answer, issued.status_code, issued.json()


def test_a_wrong_kek_leaves_the_server_not_ready_and_signing_answers_503(tmp_path: Path) -> None:
    ready, status, problem = readiness_and_signing(
        app_with(database(tmp_path, sealed_key=True), OTHER_KEK)
    )
    assert ready["code"] == 503
    assert ready["checks"]["keys"] == "failed"  # type: ignore[index]
    assert status == 503
    [issue] = problem["detail"]  # type: ignore[misc]
    assert issue["element"] == "issuer key"
    assert "MICROCRED_KEK" in issue["message"] and OTHER_KEK not in str(problem)


def test_a_malformed_kek_leaves_the_server_not_ready(tmp_path: Path) -> None:
    ready, status, _ = readiness_and_signing(
        app_with(database(tmp_path, sealed_key=True), "not-a-key")
    )
    assert ready["code"] == 503 and ready["checks"]["keys"] == "failed"  # type: ignore[index]
    assert status == 503


def test_without_a_kek_no_new_one_is_made_while_sealed_keys_exist(
    tmp_path: Path, data_dir: Path
) -> None:
    ready, status, _ = readiness_and_signing(app_with(database(tmp_path, sealed_key=True), ""))
    assert ready["code"] == 503 and ready["checks"]["keys"] == "failed"  # type: ignore[index]
    assert status == 503
    assert not (data_dir / KEK_FILE).exists()


def test_a_fresh_install_without_a_kek_is_ready_and_makes_one_for_its_first_key(
    tmp_path: Path, data_dir: Path
) -> None:
    ready, status, _ = readiness_and_signing(app_with(database(tmp_path, sealed_key=False), ""))
    assert ready["code"] == 200 and ready["checks"]["keys"] == "warning"  # type: ignore[index]
    assert status == 201
    assert (data_dir / KEK_FILE).exists()


def test_the_right_kek_is_ready_and_signs(tmp_path: Path) -> None:
    ready, status, _ = readiness_and_signing(app_with(database(tmp_path, sealed_key=True), KEK))
    assert ready["code"] == 200 and ready["checks"]["keys"] == "ok"  # type: ignore[index]
    assert status == 201


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_refuses_to_start_with_a_kek_that_does_not_open_the_keys(
    tmp_path: Path, workers: str
) -> None:
    url = database(tmp_path, sealed_key=True)
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MICROCRED_KEK": OTHER_KEK}
    environment["XDG_DATA_HOME"] = str(tmp_path / "data")
    command = [MICROCRED, "--db", url, "serve", "--port", str(free_port()), "--workers", workers]
    # Generous: a server that (wrongly) starts is stopped by the timeout and fails the test.
    finished = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    output = finished.stdout + finished.stderr
    assert finished.returncode == 1, output
    assert "not serving: the KEK from MICROCRED_KEK does not open the issuer key of" in output
    assert SLUG in output and OTHER_KEK not in output
