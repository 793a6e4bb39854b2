"""The benchmark report: machine, command, medians and ratios to raw Ed25519."""

from __future__ import annotations

from microcred.bench import Row, credentials, render


def test_report_gives_ratios_to_raw_ed25519_and_the_stage_shares():
    rows = [
        Row("raw Ed25519 sign / verify (cryptography)", 40.0, 100.0),
        Row("eddsa-rdfc-2022", 8000.0, 7000.0),
    ]
    stages = {"JSON-LD expansion of the credential (safe mode)": 6000.0, "hashing": 2000.0}
    markdown = render(rows, stages, "pinned to core 0", 12.0)
    assert "| eddsa-rdfc-2022 | 8,000 | 125 | 7,000 | 143 | 200× | 70× |" in markdown
    assert "| JSON-LD expansion of the credential (safe mode) | 6,000 | 75% |" in markdown
    assert "cores (pinned to core 0), Python 3." in markdown
    assert "`make bench`" in markdown


def test_every_benchmark_call_gets_a_different_learner():
    batch = credentials(3, "did:example:issuer", start=7)
    names = [c["credentialSubject"]["identifier"][0]["identityHash"] for c in batch]
    assert names == ["Learner 7", "Learner 8", "Learner 9"]
    assert len({c["id"] for c in batch}) == 3
