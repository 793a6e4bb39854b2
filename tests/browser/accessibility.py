"""Running axe-core (from npm, node_modules/axe-core) on a page in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Return axe-core's violations of impact serious or critical on the current page."""
    assert AXE.exists(), f"{AXE} is missing: run 'npm ci' at the repository root"
    # Evaluated through the browser's debugging protocol rather than added as a <script>: the
    # pages' Content-Security-Policy rightly refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]
