"""TLS for ``microcred serve``: the certificate and key files uvicorn serves HTTPS with."""

from __future__ import annotations

import ssl
from pathlib import Path


class TlsFilesUnusable(ValueError):
    """The certificate or key cannot serve HTTPS; the message names the file and what to fix."""


def tls_options(certfile: Path | None, keyfile: Path | None) -> dict[str, str]:
    """Return uvicorn's ``ssl_certfile``/``ssl_keyfile`` options, or none for plain HTTP.

    Both files or neither; each must be readable, and the pair must load as one certificate
    chain and its private key (checked here, so a mistake is one clear line at start-up).
    """
    if certfile is None and keyfile is None:
        return {}
    if keyfile is None:
        raise TlsFilesUnusable("--ssl-certfile needs --ssl-keyfile too: give both, or neither")
    if certfile is None:
        raise TlsFilesUnusable("--ssl-keyfile needs --ssl-certfile too: give both, or neither")
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        try:
            with path.open("rb") as file:
                file.read(1)
        except OSError as error:
            raise TlsFilesUnusable(
                f"{option} {path}: cannot be read ({error.strerror or error})"
            ) from None
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, ValueError) as error:
        raise TlsFilesUnusable(
            f"{certfile} and {keyfile} are not a PEM certificate chain and its private key "
            f"({error})"
        ) from None
    return {"ssl_certfile": str(certfile), "ssl_keyfile": str(keyfile)}
