"""The counts of a hand-made scenario, per specification and month: three credentials issued
by hand and one by a completed pathway, two claimed, one verified four times through two
channels, one revoked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from analytics_support import EMIL, JANA, SLUG, World

from microcred.services.analytics import Counts, InstitutionActivity, institution_activity
from microcred.services.delivery.links import public_path

THIS_MONTH = datetime.now(UTC).strftime("%Y-%m")
LAST_MONTH_DAY = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)


def play_scenario(world: World) -> dict[str, str]:
    """Act out the scenario; return the credential ids by name."""
    jana_one = world.award(world.part_one, JANA)
    emil_one = world.award(world.part_one, EMIL)
    jana_two = world.award(world.part_two, JANA)  # completes Jana's pathway: a stacked award
    world.claim(jana_one.credential_id, JANA[1], LAST_MONTH_DAY)
    world.claim(jana_two.credential_id, JANA[1], datetime.now(UTC))
    document = world.document(jana_one.credential_id)
    for _ in range(2):
        answer = world.client.post("/credentials/verify", json={"verifiableCredential": document})
        assert answer.status_code == 200, answer.text
        page = world.client.get(public_path(jana_one.credential_id))
        assert page.status_code == 200, page.text
    world.issuer.status.revoke(emil_one.credential_id, reason="assessment voided", actor="test")
    return {
        "jana_one": jana_one.credential_id,
        "emil_one": emil_one.credential_id,
        "jana_two": jana_two.credential_id,
    }


@pytest.fixture
def activity(world: World) -> InstitutionActivity:
    play_scenario(world)
    return institution_activity(world.database, SLUG)


def by_title(activity: InstitutionActivity) -> dict[str, Counts]:
    return {item.title: item.totals for item in activity.specifications}


def test_counts_per_specification_match_the_scenario(activity: InstitutionActivity) -> None:
    assert by_title(activity) == {
        "Data cleaning": Counts(issued=2, claimed=1, verified=4, revoked=1),
        "Data visualisation": Counts(issued=1, claimed=1),
        "Data science": Counts(issued=1, stacked=1),
    }
    assert activity.totals == Counts(issued=4, claimed=2, verified=4, revoked=1, stacked=1)


def test_counts_per_month_put_each_event_in_its_month(activity: InstitutionActivity) -> None:
    assert activity.months[0] == "2025-01"
    assert activity.months[-1] == THIS_MONTH
    assert activity.by_month["2025-01"] == Counts(claimed=1)
    assert activity.by_month[THIS_MONTH] == Counts(
        issued=4, claimed=1, verified=4, revoked=1, stacked=1
    )
    # The months between are listed with nothing in them, so a chart shows the gap.
    quiet = activity.months[1:-1]
    assert all(activity.by_month[month] == Counts() for month in quiet)
    cleaning = next(item for item in activity.specifications if item.title == "Data cleaning")
    assert cleaning.by_month["2025-01"] == Counts(claimed=1)


def test_four_checks_of_one_credential_through_two_channels(
    activity: InstitutionActivity,
) -> None:
    channels = {count.channel: (count.verified, count.failed) for count in activity.channels}
    assert channels == {"api": (2, 0), "page": (0, 0), "public-page": (2, 0), "wallet": (0, 0)}
    assert activity.credentials_verified == 1


def test_months_outside_since_and_until_are_left_out(world: World) -> None:
    play_scenario(world)
    january = institution_activity(world.database, SLUG, since="2025-01", until="2025-01")
    assert january.months == ["2025-01"]
    assert january.totals == Counts(claimed=1)
    assert january.channels[0].verified == 0
    later = institution_activity(world.database, SLUG, since="2025-02")
    assert later.totals == Counts(issued=4, claimed=1, verified=4, revoked=1, stacked=1)


def test_another_institution_counts_none_of_these(world: World) -> None:
    play_scenario(world)
    other = institution_activity(world.database, "koivula")
    assert other.totals == Counts()
    assert other.specifications == [] and other.months == []
    assert other.credentials_verified == 0
