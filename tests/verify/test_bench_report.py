"""The benchmark report: machine, command, medians and ratios to raw Ed25519."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.signing import (
    Row,
    render,
    render_compiled,
    render_compiled_stages,
    render_verify_rows,
)

from support.credentials import credentials


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


def test_verify_rows_give_their_ratio_to_raw_verification_and_the_load():
    rows = [
        Row("raw Ed25519 sign / verify (cryptography)", 40.0, 100.0),
        Row("verify_credential, every check (eddsa-rdfc-2022)", 0.0, 450.0),
    ]
    markdown = render_verify_rows(rows, "pinned to core 0", (1.0, 2.0, 3.0))
    assert "| verify_credential, every check (eddsa-rdfc-2022) | 450 | 2,222 | 4.5× |" in markdown
    assert "load average 1.0 / 2.0 / 3.0" in markdown and "--verify-rows" in markdown


def test_every_benchmark_call_gets_a_different_learner():
    batch = credentials(3, "did:example:issuer", start=7)
    names = [c["credentialSubject"]["identifier"][0]["identityHash"] for c in batch]
    assert names == ["Learner 7", "Learner 8", "Learner 9"]
    assert len({c["id"] for c in batch}) == 3


def test_compiled_stages_are_shown_beside_the_whole_call_and_targets_say_met_or_not():
    rows = [
        Row("raw Ed25519 sign / verify (cryptography)", 40.0, 100.0),
        Row("eddsa-rdfc-2022", 250.0, 600.0),
        Row("eddsa-jcs-2022", 200.0, 300.0),
        Row("vc+jwt (EdDSA)", 100.0, 200.0),
    ]
    stages = render_compiled_stages({"reading": 30.0, "lines": 90.0}, rows)
    assert "they add up to 120 µs of the 250 µs" in stages
    assert "| lines | 90 | 75% |" in stages
    references = [Row("eddsa-rdfc-2022, reference path (plain JSON-LD)", 5000.0, 6000.0)]
    compiled = render_compiled(rows, references, "cache")
    assert "| eddsa-rdfc-2022 | 4,000 | 3,000 | 1,667 | 2,000 | no |" in compiled
    assert "| vc+jwt (EdDSA) | 10,000 | 8,000 | 5,000 | — | yes |" in compiled
    assert "| eddsa-rdfc-2022 | 250 | 5,000 | 20× |" in compiled


def test_make_bench_can_import_its_modules_outside_pytest() -> None:
    """`make bench` runs `python -m benchmarks` from the repository root, where only the root is
    on the path (pytest adds `tests/` as well, which hid a broken import once)."""
    root = Path(__file__).resolve().parents[2]
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    completed = subprocess.run(
        [sys.executable, "-c", "import benchmarks.signing, benchmarks.peers"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
