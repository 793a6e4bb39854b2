"""Time what hostile inputs cost the verifier: RDFC-1.0 poison datasets and an oversized
JSON-LD credential (medians of 3 runs). Run: `.venv/bin/python scripts/bench_poison.py`.

The unit tests assert refusals, reasons and work counters; wall time is measured only here.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests" / "crypto"), str(HERE.parent / "tests" / "verify")]

from hostile_credentials import many_blank_profiles  # noqa: E402
from poison_datasets import chains, clique, hub_with_chains, repeated_in_blank_graphs  # noqa: E402

from microcred.crypto.rdfc import canonicalize  # noqa: E402
from microcred.formats.jsonld.rdf import to_quads  # noqa: E402


def _median_ms(run: Any) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(3):
        start = time.perf_counter()
        try:
            run()
            outcome = "canonicalised"
        except ValueError as error:
            outcome = str(error)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), outcome


def main() -> None:
    datasets = {
        "two hubs with chains (6 spokes)": hub_with_chains(6),
        "node repeated in two blank graphs (6)": repeated_in_blank_graphs(6),
        "node repeated in two blank graphs (7)": repeated_in_blank_graphs(7),
        "clique of 30": clique(30),
        "clique of 60": clique(60),
        "two tied chains of 1,000": chains(1000),
    }
    for name, quads in datasets.items():
        elapsed, outcome = _median_ms(lambda quads=quads: canonicalize(quads))
        print(f"{name:42} {len(quads):5} quads {elapsed:8.1f} ms  {outcome}")
    document: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "did:example:i",
            "type": "Profile",
            "parentOrg": many_blank_profiles(7000),
        },
    }
    elapsed, outcome = _median_ms(lambda: to_quads(document))
    print(f"{'7,000 blank parentOrg profiles to RDF':42} {'':11} {elapsed:8.1f} ms  {outcome}")


if __name__ == "__main__":
    main()
