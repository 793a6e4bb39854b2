"""What revocation and status checking cost: a section of ``make bench`` (BENCHMARKS.md).

Measured on a temporary SQLite database: a revocation (set the bit, re-sign the 131,072-entry
list, write the audit event, commit), and a status check (fetch, verify the list's proof,
decode, read the bit) with the list credential cached in memory and fetched from the store.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.support.examples import example_specification

from microcred.config import Settings
from microcred.crypto.did_document import key_in_document
from microcred.formats.ob3 import AwardData
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.status import StatusLists
from microcred.status.bitstring import decode_list, get_bit
from microcred.status.check import check_credential_status
from microcred.status.fetching import StatusListUnavailable
from microcred.store.database import Database

RUNS = 30


def _median_ms(work: Callable[[int], object], runs: int = RUNS) -> float:
    times = []
    for n in range(runs):
        started = time.perf_counter()
        work(n)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure_status() -> str:
    """Return the Markdown section with the medians, in milliseconds."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        database.upgrade()
        settings = Settings(database_url=str(database.url), base_url="https://bench.example")
        keys = IssuerKeys(database, settings, kek=bytes(32))
        status = StatusLists(database, keys, settings)
        catalogue = Catalogue(database)
        catalogue.ensure_institution("bench-uni", {"en": "Bench University"})
        spec_id = catalogue.publish(catalogue.create("bench-uni", example_specification()).id).id
        issuer = CredentialIssuer(catalogue, keys, settings, status)
        issued: list[dict[str, Any]] = []
        for _ in range(RUNS + 1):
            when = datetime(2025, 3, 1, tzinfo=UTC)
            credential = issuer.issue_credential(
                spec_id, None, AwardData(learner_name="A", email="a@example.org", issued_on=when)
            )
            assert isinstance(credential, dict)
            issued.append(credential)
        document = keys.did_document("bench-uni")

        def resolve(method: str) -> Any:
            return key_in_document(document, method, "assertionMethod")

        def nowhere(url: str) -> dict[str, Any]:
            raise StatusListUnavailable(url)

        from_store = status.published.fetcher(nowhere)
        cache: dict[str, dict[str, Any]] = {}

        def cached(url: str) -> dict[str, Any]:
            if url not in cache:
                cache[url] = from_store(url)
            return cache[url]

        revoke = _median_ms(lambda n: status.revoke(issued[n]["id"], reason="bench", actor="bench"))
        target = issued[RUNS]
        uncached = _median_ms(
            lambda n: check_credential_status(target, fetch=from_store, resolve_key=resolve)
        )
        warm = _median_ms(
            lambda n: check_credential_status(target, fetch=cached, resolve_key=resolve)
        )
        encoded = status.published.signed_list("bench-uni", "revocation", 1).document
        bits_text = encoded["credentialSubject"]["encodedList"]
        decode = _median_ms(lambda n: get_bit(decode_list(bits_text), 94_567), runs=200)
        database.dispose()
    return "\n".join(
        [
            "## Revocation and status checks",
            "",
            f"Median of {RUNS} runs on SQLite, one 131,072-entry list per purpose; a check reads",
            "both entries (revocation, suspension) and verifies each list's proof.",
            "",
            "| operation | median ms |",
            "| --- | ---: |",
            f"| revoke (set bit, re-sign list, audit event, commit) | {revoke:.1f} |",
            f"| status check, lists read from the store | {uncached:.1f} |",
            f"| status check, lists cached in memory | {warm:.1f} |",
            f"| decode encodedList + read one bit | {decode:.2f} |",
            "",
        ]
    )


if __name__ == "__main__":
    print(measure_status())
