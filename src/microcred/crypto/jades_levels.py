"""JAdES baseline levels above B (ETSI TS 119 182-1 §6): what a seal gains in its unsigned header.

- **B-T** adds a signature time-stamp (``sigTst``) over the base64url signature value: a
  trusted authority saw the seal by then, so the seal certificate is judged at that time
  and an expired certificate no longer spoils a seal made while it was valid.

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

from microcred.crypto import jades_header

Timestamper = Callable[[bytes], bytes]  # data → DER RFC 3161 TimeStampToken over it


def add_signature_timestamp(sealed: dict[str, Any], timestamper: Timestamper) -> dict[str, Any]:
    """Return a copy of the JAdES ``sealed`` file raised to B-T: a ``sigTst`` component in
    etsiU, from ``timestamper``, over the signature value."""
    raised = copy.deepcopy(sealed)
    entry = raised["signatures"][0]
    token = timestamper(str(entry["signature"]).encode("ascii"))
    component = {"sigTst": {"tstTokens": [{"val": base64.b64encode(token).decode("ascii")}]}}
    header = entry.setdefault("header", {})
    header.setdefault("etsiU", []).append(encode_component(component))
    return raised


def encode_component(component: dict[str, Any]) -> str:
    """Return an etsiU component as base64url text of its compact JSON."""
    return jades_header.b64url(json.dumps(component, separators=(",", ":")).encode("utf-8"))


def baseline_level(timestamps: list[Any]) -> str:
    """Return the baseline level a verified seal reaches: "B-T" with a trusted signature
    time-stamp, else "B-B"."""
    if any(stamp.kind == "signature" and stamp.trusted for stamp in timestamps):
        return "B-T"
    return "B-B"
