"""A bulk award killed with SIGKILL half-way and started again ends with exactly one verified
credential per learner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from processes import Setup

from waiting import kill, scaled, wait_for

sys.path.insert(0, str(Path(__file__).parents[1] / "awards"))
from gradebooks import gradebook_csv  # noqa: E402

LEARNERS = 240


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_issue_killed_half_way_resumes_with_one_credential_per_learner(
    setup: Setup, tmp_path: Path
) -> None:
    grades = tmp_path / "grades.csv"
    grades.write_bytes(gradebook_csv(LEARNERS, bad={}))
    command = ("issue", "--csv", str(grades), "--spec", setup.spec_id, "--yes")

    first = setup.run(*command)
    wait_for(
        lambda: first.poll() is not None or setup.awards_count() >= LEARNERS // 3,
        120,
        "a third of the awards",
    )
    assert first.poll() is None, first.communicate()[1].decode()
    kill(first)
    killed_at = setup.awards_count()
    assert 0 < killed_at < LEARNERS

    second = setup.run(*command)
    out, err = second.communicate(timeout=scaled(180))
    assert second.returncode == 0, err.decode()
    assert "0 failed" in " ".join(out.decode().split())
    assert setup.awards_count() == LEARNERS
    setup.assert_one_verified_credential_per_learner(LEARNERS)
