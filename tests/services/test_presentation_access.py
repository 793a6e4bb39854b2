"""A presentation request as its maker sees it: what was asked, answered or expired, and to
nobody else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from microcred.domain.accounts import Principal
from microcred.services.presentation_access import presentation_request_view
from microcred.store.database import Database
from microcred.store.wallet_tables import PresentationRequestRow

MADE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MAKER = Principal(1, "registrar@example.org")


def _request(database: Database, result: dict[str, object] | None = None) -> str:
    with database.transaction() as session:
        row = PresentationRequestRow(
            nonce="n",
            min_ects=5.0,
            field="0613",
            created_by=MAKER.email,
            created_at=MADE,
            expires_at=MADE + timedelta(minutes=10),
            result=result,
        )
        session.add(row)
        session.flush()
        return row.id


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_an_unanswered_request_is_waiting_until_it_expires(database: Database) -> None:
    request_id = _request(database)

    waiting = presentation_request_view(database, request_id, MAKER, now=MADE)
    late = presentation_request_view(database, request_id, MAKER, now=MADE + timedelta(hours=1))

    assert (waiting.id, waiting.min_ects, waiting.field) == (request_id, 5.0, "0613")
    assert (waiting.answered, waiting.expired) == (False, False)
    assert (late.answered, late.expired) == (False, True)
    assert late.report is None and late.disclosed == {}


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
def test_an_answered_request_shows_the_report_and_only_what_was_disclosed(
    database: Database,
) -> None:
    answer = {"report": {"verdict": "verified"}, "disclosed": {"ects": 5.0}}
    request_id = _request(database, result=answer)

    seen = presentation_request_view(database, request_id, MAKER, now=MADE + timedelta(hours=1))

    assert (seen.answered, seen.expired) == (True, False)
    assert seen.report == {"verdict": "verified"}
    assert seen.disclosed == {"ects": 5.0}


@pytest.mark.parametrize("fresh_database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("asked_for", ["someone else's", "not-a-uuid"])
def test_anyone_but_the_maker_is_told_the_request_does_not_exist(
    database: Database, asked_for: str
) -> None:
    request_id = _request(database)
    other = Principal(2, "officer@example.org")

    with pytest.raises(LookupError, match="no presentation request"):
        if asked_for == "not-a-uuid":
            presentation_request_view(database, "not-a-uuid", MAKER)
        else:
            presentation_request_view(database, request_id, other)
