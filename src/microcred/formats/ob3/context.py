"""The JSON-LD contexts an Open Badges 3.0 credential from microcred names, in order.

The microcred extension context is pinned in ``microcred/data/contexts`` like the W3C and
1EdTech ones and listed in that directory's ``index.json``, so the offline loader resolves it.
Its vocabulary IRIs live under `EXTENSION_VOCABULARY`; docs/ob3-extension.md describes each term.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXTENSION_CONTEXT = "https://microcred.eu/ns/ob3-extension/v1"
EXTENSION_VOCABULARY = "https://microcred.eu/ns/ob3-extension/v1#"
EXTENSION_CONTEXT_FILE = "microcred-ob3-extension-v1.jsonld"

CREDENTIAL_CONTEXTS = [VC_V2_CONTEXT, OB_V3_CONTEXT, EXTENSION_CONTEXT]


def extension_context() -> dict[str, Any]:
    """Return the pinned microcred extension context document, as shipped in the package."""
    path = resources.files("microcred.data").joinpath("contexts").joinpath(EXTENSION_CONTEXT_FILE)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def extension_terms() -> set[str]:
    """Return the terms the extension context defines (prefixes and keywords excluded)."""
    definitions = extension_context()["@context"]
    return {
        term
        for term, definition in definitions.items()
        if not term.startswith("@") and isinstance(definition, dict)
    }
