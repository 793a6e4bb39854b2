"""``microcred serve --ssl-certfile/--ssl-keyfile``: HTTPS on loopback with a certificate the
test makes, and a clear refusal of unusable files."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from test_serve import MICROCRED, free_port


def self_signed(directory: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for 127.0.0.1 and its key; return both paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "microcred test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = directory / "cert.pem", directory / "key.pem"
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


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
        deadline = time.monotonic() + 60
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
