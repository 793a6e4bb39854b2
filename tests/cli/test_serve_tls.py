"""``microcred serve --ssl-certfile/--ssl-keyfile``: HTTPS on loopback with a certificate the
test makes, and a clear refusal of unusable files."""

from __future__ import annotations

import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from test_serve import MICROCRED, free_port

from tls_certificates import self_signed
from waiting import scaled


def serve(tmp_path: Path, *tls: str, port: int = 0) -> subprocess.Popen[str]:
    database = f"sqlite:///{tmp_path / 'serve.db'}"
    command = [str(MICROCRED), "serve", "--db", database, "--migrate", "--port", str(port)]
    return subprocess.Popen(
        [*command, *tls], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.timeout(120)
def test_serve_answers_over_https_with_the_given_certificate(tmp_path: Path) -> None:
    certfile, keyfile = self_signed(tmp_path)
    port = free_port()
    server = serve(
        tmp_path, "--ssl-certfile", str(certfile), "--ssl-keyfile", str(keyfile), port=port
    )
    trusting = ssl.create_default_context(cafile=str(certfile))
    try:
        deadline = time.monotonic() + scaled(240)
        while True:
            if server.poll() is not None:
                pytest.fail(f"microcred serve stopped:\n{server.communicate()[0]}")
            try:
                response = httpx.get(f"https://127.0.0.1:{port}/healthz", verify=trusting)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "no HTTPS answer within 60 seconds"
                time.sleep(0.2)
        assert response.status_code == 200
        # The same server refuses a client that does not trust its certificate.
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"https://127.0.0.1:{port}/healthz")
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"Serving microcred on https://127.0.0.1:{port}/" in output


CERT, KEY, ABSENT = "cert.pem", "key.pem", "absent.pem"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"--ssl-certfile": CERT}, "--ssl-certfile needs --ssl-keyfile too"),
        ({"--ssl-keyfile": KEY}, "--ssl-keyfile needs --ssl-certfile too"),
        ({"--ssl-certfile": CERT, "--ssl-keyfile": ABSENT}, "cannot be read"),
        ({"--ssl-certfile": CERT, "--ssl-keyfile": CERT}, "not a PEM certificate chain"),
    ],
)
def test_unusable_tls_files_are_refused_before_serving(
    tmp_path: Path, given: dict[str, str], message: str
) -> None:
    self_signed(tmp_path)
    args = [part for option, name in given.items() for part in (option, str(tmp_path / name))]
    server = serve(tmp_path, *args)
    output = server.communicate(timeout=60)[0]
    assert server.returncode != 0
    assert message in " ".join(output.split())
    assert "Serving microcred" not in output
