"""Bulk award: a 1,000-row gradebook with 7 bad rows issues 993 credentials, reports the 7 with
their reasons, and the same file again issues nothing new."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from gradebooks import BAD_ROWS, gradebook_csv

from microcred.jobs.bulk import bulk_job
from microcred.jobs.context import JobContext
from microcred.jobs.model import job_failures
from microcred.jobs.running import run_job
from microcred.services.awards import Awards
from microcred.services.bulk.gradebook import read_gradebook
from microcred.services.bulk.preview import preview_gradebook
from microcred.store.awards_tables import AwardRow
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow

TODAY = date(2025, 6, 1)


def credentials(database: Database) -> int:
    with database.transaction(write=False) as session:
        return int(session.scalar(sa.select(sa.func.count(IssuedCredentialRow.id))) or 0)


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_thousand_rows_with_seven_bad_issue_993_and_report_the_seven(
    awards: Awards, published: str, database: Database
) -> None:
    record = awards.issuable(published, None)
    awards.prepare(record)
    data = gradebook_csv(1000)
    preview = preview_gradebook(
        read_gradebook(data, "grades.csv"), record, awarded_on=TODAY, today=TODAY
    )
    assert (len(preview.accepted), len(preview.rejected)) == (993, 7)
    assert credentials(database) == 0  # the preview issues nothing

    context = JobContext(db=database, awards=awards)
    job = run_job(context, bulk_job(database, "bulk-award", preview, record, actor="test").id)
    assert (job.state, job.total, job.done, job.failed, job.unchanged) == ("done", 1000, 993, 7, 0)
    assert credentials(database) == 993
    failures = job_failures(database, job.id)
    assert [f["row"] for f in failures] == [index + 2 for index in sorted(BAD_ROWS)]
    for failure, index in zip(failures, sorted(BAD_ROWS), strict=True):
        assert BAD_ROWS[index][2] in failure["reason"], failure

    again = preview_gradebook(
        read_gradebook(data, "grades.csv"), record, awarded_on=TODAY, today=TODAY
    )
    second = run_job(context, bulk_job(database, "bulk-award", again, record, actor="test").id)
    assert second.id != job.id
    assert (second.done, second.unchanged, second.failed) == (0, 993, 7)
    assert credentials(database) == 993
    with database.transaction(write=False) as session:
        keys = session.scalar(sa.select(sa.func.count(sa.distinct(AwardRow.idempotency_key))))
    assert keys == 993
