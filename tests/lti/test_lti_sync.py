"""Deep linking a course to a micro-credential, then syncing it: the roster and grades are read
from the LMS and a bulk award job awards who meets the rule; a second sync awards nobody twice."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app_fixtures import add_staff
from lti.conftest import World, link_course, post_launch, staff_session, start_login
from lti.lms_platform import CLAIM, INSTRUCTOR, LEARNER, Member
from microcred.jobs.model import JobView, job_view
from microcred.services.accounts import Accounts
from microcred.services.sessions import Sessions
from waiting import wait_for

INSTITUTION_LMS = "/institutions/th-lahntal/lms"


def _sync(world: World, tool: TestClient, course_title: str) -> JobView:
    page = tool.get(INSTITUTION_LMS)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    forms = re.findall(r'action="(/institutions/th-lahntal/lms/links/[^"]+/sync)"', page.text)
    answer = tool.post(forms[0], data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    db = world.app.state.database
    wait_for(lambda: job_view(db, job_id).finished, 30, "the award job to finish")
    return job_view(db, job_id)


def test_a_linked_course_awards_who_meets_the_rule_and_a_resync_none_twice(
    world: World, tool: TestClient
) -> None:
    world.platform.members = [
        Member("u-ada", "Ada Achterberg", "ada@student.example"),
        Member("u-ben", "Ben Brandt", "ben@student.example"),
        Member("u-cem", "Cem Candan", None),  # the LMS hides his address
        Member("u-tess", "Tess Teacher", "tess@lahntal.example", INSTRUCTOR),
    ]
    world.platform.grades = {
        "Final exam": (100.0, {"u-ada": 80.0, "u-ben": 40.0, "u-cem": 90.0, "u-tess": 100.0})
    }
    linked_before = len(world.platform.linked)
    returned = link_course(world, tool, "grade", "60", "Final exam")
    assert "is linked to Data Literacy 101" in returned
    assert len(world.platform.linked) == linked_before + 1
    item = world.platform.linked[-1]
    assert item["type"] == "ltiResourceLink"
    assert item["url"].endswith("/lti/launch") and item["custom"]["microcred_link"]

    tool.cookies.set("microcred_session", staff_session(world))
    first = _sync(world, tool, "Data Literacy 101")
    assert (first.state, first.done, first.failed, first.unchanged) == ("done", 1, 1, 0)
    assert {"/nrps/course-101", "/lineitems/course-101/0/results"} <= set(
        world.platform.service_calls
    )

    world.platform.grades["Final exam"][1]["u-ben"] = 75.0  # Ben re-sat the exam
    second = _sync(world, tool, "Data Literacy 101")
    assert (second.done, second.unchanged, second.failed) == (1, 1, 1)  # Ben new, Ada kept


def test_a_pick_is_used_once_and_names_the_lms_as_the_only_form_target(
    world: World, tool: TestClient
) -> None:
    state, nonce = start_login(tool, world.platform)
    claims = world.platform.claims(nonce, "LtiDeepLinkingRequest")
    picking = post_launch(tool, world.platform.id_token(claims), state)
    token = re.search(r'name="token" value="([^"]+)"', picking.text)
    assert token
    form = {"token": token.group(1), "spec_id": world.spec_id, "rule": "grade"}
    refused = tool.post("/lti/pick", data=form | {"threshold": "150"})
    assert refused.status_code == 422
    assert "percentage from 0 to 100" in refused.text
    made = tool.post("/lti/pick", data=form | {"threshold": "50"})
    assert made.status_code == 200
    policy = made.headers["content-security-policy"]
    assert f"form-action 'self' {world.platform.url}" in policy
    again = tool.post("/lti/pick", data=form | {"threshold": "50"})
    assert again.status_code == 400
    assert "made already" in again.text


def test_a_registration_with_bad_values_stores_nothing(world: World, tool: TestClient) -> None:
    tool.cookies.set("microcred_session", staff_session(world))
    page = tool.get(INSTITUTION_LMS)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    values = world.platform.registration() | {"jwks_url": "ftp://lms.example/keys"}
    answer = tool.post(INSTITUTION_LMS, data=values | {"csrf_token": token.group(1)})
    assert answer.status_code == 422
    assert "Not a web address" in answer.text
    assert answer.text.count("<code>" + world.platform.issuer + "</code>") == 1  # the one before
    taken = world.platform.registration() | {"name": "Again"}
    answer = tool.post(INSTITUTION_LMS, data=taken | {"csrf_token": token.group(1)})
    assert answer.status_code == 422
    assert "registered already" in answer.text


def test_staff_of_another_institution_may_not_see_or_sync_the_lms(
    world: World, tool: TestClient
) -> None:
    link_course(world, tool, "activity", "", "Project")
    link_id = world.platform.linked[-1]["custom"]["microcred_link"]
    world.app.state.catalogue.ensure_institution("hs-elsewhere", {"en": "HS Elsewhere"})
    add_staff(world.app, "admin@elsewhere.example", "administrator", "hs-elsewhere")
    db = world.app.state.database
    user = Accounts(db).get("admin@elsewhere.example")
    tool.cookies.set("microcred_session", Sessions(db).start(user.id))
    assert tool.get(INSTITUTION_LMS).status_code == 403
    own = tool.get("/institutions/hs-elsewhere/lms")
    assert own.status_code == 200
    assert world.platform.issuer not in own.text  # another institution's platform
    token = re.search(r'name="csrf_token" value="([^"]+)"', own.text)
    assert token
    answer = tool.post(
        f"/institutions/hs-elsewhere/lms/links/{link_id}/sync", data={"csrf_token": token.group(1)}
    )
    assert answer.status_code == 404  # the link is not one of this institution's
    answer = tool.post(
        f"/institutions/th-lahntal/lms/links/{link_id}/sync", data={"csrf_token": token.group(1)}
    )
    assert answer.status_code == 403


def test_a_launch_into_a_linked_course_shows_its_micro_credential(
    world: World, tool: TestClient
) -> None:
    link_course(world, tool, "grade", "70", "")
    link_id = world.platform.linked[-1]["custom"]["microcred_link"]
    custom = {CLAIM + "custom": {"microcred_link": link_id}}
    state, nonce = start_login(tool, world.platform)
    claims = world.platform.claims(nonce, **{CLAIM + "roles": [LEARNER]} | custom)
    shown = post_launch(tool, world.platform.id_token(claims), state)
    assert shown.status_code == 200
    assert "final grade (course total) at least 70 %" in shown.text
    # The same link launched from another course of the platform is not this course's.
    state, nonce = start_login(tool, world.platform)
    other = {CLAIM + "context": {"id": "course-202", "title": "Statistics"}}
    claims = world.platform.claims(nonce, **custom | other)
    refused = post_launch(tool, world.platform.id_token(claims), state)
    assert refused.status_code == 400
    assert "belongs to another course" in refused.text


def test_a_roster_sending_the_token_elsewhere_stops_the_sync(
    world: World, tool: TestClient
) -> None:
    link_course(world, tool, "grade", "50", "")
    world.platform.members = [Member("u-fay", "Fay Fuchs", "fay@student.example")]
    world.platform.grades = {"Exam": (10.0, {"u-fay": 9.0})}
    world.platform.roster_next = "https://collector.example/more"
    tool.cookies.set("microcred_session", staff_session(world))
    try:
        page = tool.get(INSTITUTION_LMS)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        forms = re.findall(r'action="(/institutions/th-lahntal/lms/links/[^"]+/sync)"', page.text)
        assert token and forms
        answer = tool.post(forms[0], data={"csrf_token": token.group(1)}, follow_redirects=False)
    finally:
        world.platform.roster_next = None
    assert answer.status_code == 502
    assert "names a next page elsewhere" in answer.text
    assert world.platform.service_calls[-1] == "/nrps/course-101"  # no gradebook read after
