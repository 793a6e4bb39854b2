"""One microcred and one test LMS for the tests of this folder: the app served on loopback (the
platform fetches the tool's keys from it), a published micro-credential, the LMS registered."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, app_on_sqlite
from lti.lms_platform import CLIENT_ID, Platform, running_platform
from microcred.services.accounts import Accounts
from microcred.services.lti.platforms import Platforms, Registration
from microcred.services.sessions import Sessions
from served import free_port, served
from support.examples import example_specification


@dataclass
class World:
    app: FastAPI
    platform: Platform
    spec_id: str
    url: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
        # The LMS is on loopback, as an intranet LMS would be: the operator admits it.
        patch.setenv("MICROCRED_FETCH_ALLOW_PRIVATE", "true")
        port = free_port()
        database = tmp_path_factory.mktemp("lti") / "lti.db"
        app = app_on_sqlite(database, base_url=f"http://127.0.0.1:{port}")
        catalogue = app.state.catalogue
        spec_id = catalogue.publish(catalogue.create(INSTITUTION, example_specification()).id).id
        platform = Platform(tool_url=f"http://127.0.0.1:{port}")
        with running_platform(platform), served(app, port) as url:
            Platforms(app.state.database).register(
                INSTITUTION, Registration(**platform.registration())
            )
            yield World(app, platform, spec_id, url)


@pytest.fixture
def tool(world: World) -> TestClient:
    """A browser of the tool: no lifespan of its own (the served app runs the job runner)."""
    return TestClient(world.app, base_url=world.url)


def start_login(tool: TestClient, platform: Platform, **params: str) -> tuple[str, str]:
    """Return the state and nonce of a login the platform starts."""
    query = {"iss": platform.issuer, "login_hint": "teacher-1", "client_id": CLIENT_ID} | params
    answer = tool.get("/lti/login", params=query, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    sent = parse_qs(urlsplit(answer.headers["location"]).query)
    return sent["state"][0], sent["nonce"][0]


def post_launch(tool: TestClient, id_token: str, state: str) -> Response:
    return tool.post("/lti/launch", data={"id_token": id_token, "state": state})


def link_course(world: World, tool: TestClient, rule: str, threshold: str, activity: str) -> str:
    """Link the course to the micro-credential by deep linking; return the pick page's answer
    (the page that posts the signed JWT back) after the platform took it."""
    state, nonce = start_login(tool, world.platform)
    claims = world.platform.claims(nonce, "LtiDeepLinkingRequest")
    picking = post_launch(tool, world.platform.id_token(claims), state)
    assert picking.status_code == 200, picking.text
    token = re.search(r'name="token" value="([^"]+)"', picking.text)
    assert token, picking.text
    form = {"token": token.group(1), "spec_id": world.spec_id, "rule": rule}
    answer = tool.post("/lti/pick", data=form | {"threshold": threshold, "activity": activity})
    assert answer.status_code == 200, answer.text
    jwt = re.search(r'name="JWT" value="([^"]+)"', answer.text)
    assert jwt, answer.text
    taken = httpx.post(f"{world.platform.url}/deep-link-return", data={"JWT": jwt.group(1)})
    assert taken.status_code == 200, taken.text
    return answer.text


def staff_session(world: World) -> str:
    """Return a session id of the institution's administrator (signed in without the cost of
    checking a password; the login form has tests of its own)."""
    db = world.app.state.database
    return Sessions(db).start(Accounts(db).get(STAFF_EMAIL).id)
