"""JAdES baseline levels above B (ETSI TS 119 182-1 §6): what a seal gains in its unsigned header.

- **B-T** adds a signature time-stamp (``sigTst``) over the base64url signature value: a
  trusted authority saw the seal by then, so the seal certificate is judged at that time
  and an expired certificate no longer spoils a seal made while it was valid.
- **B-LT** adds the validation data a verifier needs years later, when the CA's OCSP
  responder may be gone: the certificate values (``xVals``: the seal's and the time-stamp
  authority's chains) and revocation values (``rVals``: OCSP responses, CRLs) fetched now.
- **B-LTA** adds an archive time-stamp (``arcTst``) over everything before it, so the
  validation data itself is proven to have existed, and can be renewed before the
  algorithms or the time-stamp authority's certificate weaken or expire.

The unsigned ``etsiU`` header is a list of components, each one member; microcred writes each
component base64url-encoded (as the Commission's EDC samples do), so the bytes a later archive
time-stamp covers are exactly the bytes in the file.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from microcred.crypto import jades_header, revocation, rfc3161
from microcred.crypto.x509_chain import distinct
from microcred.net import FetchPolicy

Timestamper = Callable[[bytes], bytes]  # data → DER RFC 3161 TimeStampToken over it


def raise_to(
    sealed: dict[str, Any],
    level: str,
    timestamper: Timestamper,
    *,
    policy: FetchPolicy | None = None,
) -> dict[str, Any]:
    """Return a copy of the baseline-B ``sealed`` file raised to ``level`` (B-T, B-LT, B-LTA)."""
    if level not in ("B-T", "B-LT", "B-LTA"):
        raise ValueError(f"a seal is raised to B-T, B-LT or B-LTA, not {level!r}")
    raised = add_signature_timestamp(sealed, timestamper)
    if level in ("B-LT", "B-LTA"):
        raised = add_validation_data(raised, policy=policy)
    if level == "B-LTA":
        raised = add_archive_timestamp(raised, timestamper)
    return raised


def add_signature_timestamp(sealed: dict[str, Any], timestamper: Timestamper) -> dict[str, Any]:
    """Return a copy of the JAdES ``sealed`` file raised to B-T: a ``sigTst`` component in
    etsiU, from ``timestamper``, over the signature value."""
    raised = copy.deepcopy(sealed)
    entry = raised["signatures"][0]
    token = timestamper(str(entry["signature"]).encode("ascii"))
    component = {"sigTst": {"tstTokens": [{"val": base64.b64encode(token).decode("ascii")}]}}
    _append(entry, component)
    return raised


def add_validation_data(
    sealed: dict[str, Any], *, policy: FetchPolicy | None = None
) -> dict[str, Any]:
    """Return a copy of the B-T ``sealed`` file raised to B-LT: ``xVals`` with the seal's and
    the time-stamp authorities' certificates, ``rVals`` with the OCSP responses or CRLs
    fetched now (under the fetch policy) for each certificate below a root."""
    raised = copy.deepcopy(sealed)
    entry = raised["signatures"][0]
    seal_chain = certificate_chain(entry)
    tokens = jades_header.signature_timestamp_tokens(entry.get("header"))
    if not tokens:
        raise ValueError("B-LT needs a signature time-stamp first (B-T)")
    signature = str(entry["signature"]).encode("ascii")
    chains = [seal_chain] + [rfc3161.verify_token(t, signature).chain for t in tokens]
    certificates = distinct([c for chain in chains for c in chain])
    gathered = [revocation.gather(chain, policy=policy) for chain in chains]
    _append(entry, {"xVals": [{"x509Cert": {"val": _b64(_der(c))}} for c in certificates]})
    values = {
        "ocspVals": [{"val": _b64(der)} for found in gathered for der in found.ocsp],
        "crlVals": [{"val": _b64(der)} for found in gathered for der in found.crls],
    }
    _append(entry, {"rVals": values})
    return raised


def add_archive_timestamp(sealed: dict[str, Any], timestamper: Timestamper) -> dict[str, Any]:
    """Return a copy of the B-LT ``sealed`` file raised to B-LTA: an ``arcTst`` over the
    payload, protected header, signature and every etsiU component so far."""
    raised = copy.deepcopy(sealed)
    entry = raised["signatures"][0]
    token = timestamper(archived_data(raised["payload"], entry, len(_components(entry))))
    _append(entry, {"arcTst": {"tstTokens": [{"val": _b64(token)}]}})
    return raised


def archived_data(payload: str, entry: dict[str, Any], before: int) -> bytes:
    """Return the bytes an archive time-stamp covers: payload (as carried), protected header and
    signature joined by dots, then the first ``before`` etsiU components as in the file."""
    components = _components(entry)[:before]
    text = f"{payload}.{entry['protected']}.{entry['signature']}"
    return (text + "".join(c if isinstance(c, str) else _compact(c) for c in components)).encode()


def certificate_chain(entry: dict[str, Any]) -> list[x509.Certificate]:
    """Return the seal's certificate chain as its protected header's x5c names it."""
    header = json.loads(jades_header.decode_base64(entry["protected"]))
    return [x509.load_der_x509_certificate(base64.b64decode(c)) for c in header["x5c"]]


def encode_component(component: dict[str, Any]) -> str:
    """Return an etsiU component as base64url text of its compact JSON."""
    return jades_header.b64url(_compact(component).encode("utf-8"))


def _append(entry: dict[str, Any], component: dict[str, Any]) -> None:
    entry.setdefault("header", {}).setdefault("etsiU", []).append(encode_component(component))


def _components(entry: dict[str, Any]) -> list[Any]:
    header = entry.get("header")
    components = header.get("etsiU", []) if isinstance(header, dict) else []
    return components if isinstance(components, list) else []


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
