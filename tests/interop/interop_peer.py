"""The interop peer: Digital Bazaar's @digitalbazaar/vc, run as `node tests/interop/dbvc.mjs`."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from microcred.crypto.base58 import multibase_encode
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import encode_public_key, encode_secret_key

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
PEER_SCRIPT = HERE / "dbvc.mjs"
# microcred's pinned contexts, the OB 3.0 extension context among them (see its index.json).
CONTEXTS_DIR = Path(str(resources.files("microcred.data").joinpath("contexts")))


def run_peer(request: dict[str, Any]) -> dict[str, Any]:
    """Send one request to the Digital Bazaar peer and return its answer."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the interop tests need Node.js", pytrace=False)
    if not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail(
            "node_modules/@digitalbazaar/vc is missing: run `npm ci` at the repository root "
            "(`make test` does this first)",
            pytrace=False,
        )
    completed = subprocess.run(
        [node, str(PEER_SCRIPT), str(CONTEXTS_DIR)],
        input=json.dumps(request, ensure_ascii=False),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    if not completed.stdout:
        pytest.fail(f"the interop peer printed nothing; stderr: {completed.stderr[-2000:]}")
    answer: dict[str, Any] = json.loads(completed.stdout)
    if not answer.get("ok"):
        pytest.fail(f"the interop peer failed: {answer.get('error')}")
    return answer


def peer_key(key: PrivateKey, did: str) -> dict[str, str]:
    """Return `key` in the Multikey form @digitalbazaar/ed25519-multikey reads."""
    public = encode_public_key(key.public_key)
    return {
        "id": f"{did}#{public}",
        "controller": did,
        "publicKeyMultibase": public,
        "secretKeyMultibase": multibase_encode(encode_secret_key(key)),
    }
