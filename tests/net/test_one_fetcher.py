"""Everything named by a credential or a visitor is fetched through microcred.net, and that
package sits low: it imports nothing of microcred but the settings."""

from __future__ import annotations

import ast
from pathlib import Path

import microcred

PACKAGE = Path(microcred.__file__).parent
HTTP_CLIENTS = {"httpx", "httpcore", "urllib.request", "http.client", "requests", "aiohttp"}
# Reach only what the operator configured (the OIDC provider, the instance's own base URL),
# never an address taken from a credential or a request.
OPERATOR_CONFIGURED = {
    "services/oidc.py",
    "observability/checks.py",
    "observability/log_format.py",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_microcred_net_opens_outbound_http_connections():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("net/") or relative in OPERATOR_CONFIGURED:
            continue
        clients = {
            name
            for name in _imports(path)
            if name.split(".")[0] in {"httpx", "httpcore", "requests", "aiohttp"}
            or name in HTTP_CLIENTS
        }
        if clients:
            offenders.append(f"{relative}: {sorted(clients)}")
    assert offenders == []


def test_microcred_net_imports_only_the_settings_of_microcred():
    for path in sorted((PACKAGE / "net").glob("*.py")):
        ours = {name for name in _imports(path) if name.startswith("microcred")}
        assert ours <= {"microcred.config"} | {
            name for name in ours if name.startswith("microcred.net")
        }, path.name
