"""A real `microcred serve` over HTTPS on loopback, set up the way docs/conformance.md tells an
operator to set it up for the W3C suites: issuers with Ed25519, P-256 and P-384 keys issuing as
`did:key`, the examples context pinned, the operator token, a raised verifier rate limit.

The server is a separate process started once per test session (start-up and migrations take
seconds); the tests talk to it only over HTTPS with a client that trusts the test's own
self-signed certificate, as the suites do with NODE_EXTRA_CA_CERTS.
"""

from __future__ import annotations

import json
import os
import secrets
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner
from vc_api import ConformanceServer

from microcred.cli.main import app
from served import free_port
from tls_certificates import self_signed
from waiting import stop, wait_for

MICROCRED = Path(sys.executable).parent / "microcred"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_FILE = Path(__file__).parent.parent / "crypto" / "contexts" / "examples-v2.jsonld"
# One institution per key type, as the guide asks ("use one institution per key type").
KEY_TYPES = {"Ed25519": "uni-edwards", "P-256": "hs-p256", "P-384": "th-p384"}


def _run(environment: dict[str, str], database: str, *args: str) -> str:
    """Run one set-up command in this process (a new interpreter per command costs seconds)."""
    done = CliRunner(env=environment).invoke(app, ["--db", database, *args])
    assert done.exit_code == 0, f"microcred {' '.join(args)} failed:\n{done.output}"
    return done.stdout


def _did_of(environment: dict[str, str], database: str, slug: str) -> str:
    """Return the did:key an institution issues as: the controller of its active key."""
    jwks = json.loads(_run(environment, database, "keys", "export-public", slug))
    [key] = jwks["keys"]
    return str(key["kid"]).split("#", 1)[0]


@pytest.fixture(scope="session")
def conformance_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConformanceServer]:
    folder = tmp_path_factory.mktemp("conformance")
    certfile, keyfile = self_signed(folder)
    (folder / "kek.bin").write_bytes(secrets.token_bytes(32))
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    token = secrets.token_urlsafe(24)
    environment = {
        "MICROCRED_DATA_DIR": str(folder),
        "MICROCRED_SECRET_KEY": secrets.token_hex(16),
        "MICROCRED_KEK_FILE": str(folder / "kek.bin"),
        "MICROCRED_BASE_URL": base,
        "MICROCRED_API_TOKEN": token,
        "MICROCRED_RATE_LIMIT_VERIFY": "100000/60",
        "MICROCRED_CONTEXTS_DIR": str(folder / "contexts"),
        "MICROCRED_ISSUER_DID_METHOD": "key",
        "COLUMNS": "240",
    }
    database = f"sqlite:///{folder / 'conformance.db'}"
    _run(environment, database, "db", "upgrade")
    _run(environment, database, "contexts", "add", str(EXAMPLES_FILE), "--url", EXAMPLES_CONTEXT)
    issuers = {}
    for key_type, slug in KEY_TYPES.items():
        _run(environment, database, "institution", "create", slug, "--name", slug.upper())
        _run(environment, database, "keys", "create", slug, "--type", key_type)
        issuers[key_type] = _did_of(environment, database, slug)
    log = (folder / "serve.log").open("wb")
    command = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    tls = ["--ssl-certfile", str(certfile), "--ssl-keyfile", str(keyfile)]
    server = subprocess.Popen(
        [str(MICROCRED), "--db", database, *command, *tls],
        env={**os.environ, **environment},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    trust = ssl.create_default_context(cafile=str(certfile))

    def answering() -> bool:
        assert server.poll() is None, (folder / "serve.log").read_text(errors="replace")
        try:
            return httpx.get(f"{base}/healthz", verify=trust, timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(answering, 120, "microcred serve to answer over HTTPS", interval=0.2)
        yield ConformanceServer(base, token, issuers, dict(KEY_TYPES), trust)
    finally:
        stop(server)
        log.close()
