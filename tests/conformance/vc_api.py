"""Requests as the W3C suites send them to a VC API, and the reading of the answers.

The credential is the kind the suites issue: VC 2.0 with the examples context, an example
type and subject, a fresh `urn:uuid` id.
"""

from __future__ import annotations

import base64
import copy
import gzip
import ssl
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

V2 = "https://www.w3.org/ns/credentials/v2"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
SUBJECT = {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "alumniOf": "The School of Examples"}


@dataclass(frozen=True)
class ConformanceServer:
    """The running server: its base URL, the operator token and each key type's issuer DID."""

    base: str
    token: str
    issuers: dict[str, str]  # key type -> did:key of the institution with that active key
    slugs: dict[str, str]  # key type -> institution slug
    trust: ssl.SSLContext

    def client(self, *, token: bool = True) -> httpx.Client:
        """Return an HTTPS client trusting only the test certificate (with the token: it may
        issue and change status)."""
        headers = {"Authorization": f"Bearer {self.token}"} if token else {}
        return httpx.Client(base_url=self.base, verify=self.trust, headers=headers, timeout=60)


def example_credential(issuer: Any) -> dict[str, Any]:
    """Return an unsigned VC 2.0 credential of `issuer`, with an id of its own."""
    return {
        "@context": [V2, EXAMPLES],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "issuer": issuer,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": copy.deepcopy(SUBJECT),
    }


def issue(client: httpx.Client, credential: Any, **options: Any) -> httpx.Response:
    """POST /credentials/issue with `options` (none: no options member)."""
    body: dict[str, Any] = {"credential": credential}
    if options:
        body["options"] = options
    return client.post("/credentials/issue", json=body)


def issued(client: httpx.Client, credential: Any, **options: Any) -> dict[str, Any]:
    """Return the signed credential; fail the test unless the issuer answered 201."""
    response = issue(client, credential, **options)
    assert response.status_code == 201, response.text
    signed: dict[str, Any] = response.json()["verifiableCredential"]
    return signed


def verify(client: httpx.Client, credential: Any) -> httpx.Response:
    """POST /credentials/verify as the suites do, asking for the proof check."""
    body = {"verifiableCredential": credential, "options": {"checks": ["proof"]}}
    return client.post("/credentials/verify", json=body)


def check_statuses(response: httpx.Response) -> dict[str, str]:
    """Return each check of a verification report by name: ok, failed, skipped..."""
    return {check["name"]: check["status"] for check in response.json()["checks"]}


def problem_members(response: httpx.Response) -> list[str]:
    """Return the element each problem of a 4xx answer names, e.g. `credential.type`."""
    return [str(problem["element"]) for problem in response.json()["detail"]]


def decoded_list(encoded: str) -> bytes:
    """Return the bitstring of a status list's `encodedList`: multibase base64url (`u`) of
    the GZIP-compressed bits."""
    assert encoded.startswith("u"), "encodedList must be multibase base64url (u...)"
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit(bits: bytes, index: int) -> int:
    """Return the bit at `index`, the first bit being the most significant of the first byte."""
    return (bits[index // 8] >> (7 - index % 8)) & 1
