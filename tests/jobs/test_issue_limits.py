"""`microcred issue --csv` reads the gradebook file row by row and refuses one past the row cap
with a message naming it, issuing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from processes import Setup

from hostile_tables import tiny_rows_csv
from waiting import scaled


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_issue_refuses_a_gradebook_past_the_row_cap_and_issues_nothing(
    setup: Setup, tmp_path: Path
) -> None:
    grades = tmp_path / "grades.csv"
    with grades.open("wb") as out:
        out.writelines(tiny_rows_csv(1_000_000))
    command = setup.run("issue", "--csv", str(grades), "--spec", setup.spec_id, "--yes")
    _, err = command.communicate(timeout=scaled(120))
    assert command.returncode == 2
    assert "more than 100,000 rows" in err.decode()
    assert setup.awards_count() == 0
