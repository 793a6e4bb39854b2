"""A registrar re-issues an Open Badges 2.0 badge of the institution as Open Badges 3.0 through
the API (201, then 200 with the same credential) and from the verify page's report; other
institutions' registrars and anonymous callers are refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import INSTITUTION, add_staff, api_token, log_in
from microcred.app import create_app
from microcred.config import Settings
from microcred.services.accounts import Accounts
from support.ob2_host import Ob2Host, serving

REGISTRAR = "registrar@th-lahntal.example"
STRANGER = "registrar@koivula.example"
OPERATOR = "operator@microcred.example"
FIELD = re.compile(r'name="(csrf_token|institution|badge)" value="([^"]*)"')


@dataclass
class Site:
    app: FastAPI
    host: Ob2Host


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app (allowed to fetch from loopback), whose institution names the served OB 2.0
    issuer as its own, with a registrar there and one at another institution."""
    with serving() as host:
        host.publish_issuer()
        database = tmp_path_factory.mktemp("upgrade-faces") / "microcred.db"
        settings = Settings(
            database_url=f"sqlite:///{database}", secret_key="test-key", fetch_allow_private=True
        )
        app = create_app(settings, migrate=True)
        app.state.catalogue.ensure_institution("koivula", {"en": "Koivula University"})
        accounts = Accounts(app.state.database)  # a token is all the API callers need
        accounts.create_user(OPERATOR, operator=True, actor="test setup")
        accounts.create_user(STRANGER, actor="test setup")
        accounts.add_role(STRANGER, "koivula", "registrar", actor="test setup")
        site = Site(app, host)
        with client_of(site, OPERATOR, ["admin"]) as operator:
            details = {"name": {"en": "TH Lahntal"}, "ob2_issuers": [host.url("/issuer")]}
            named = operator.put(f"/api/institutions/{INSTITUTION}", json=details)
            assert named.status_code == 200, named.text
        add_staff(app, REGISTRAR, "registrar", INSTITUTION)
        yield site


def client_of(site: Site, email: str | None = None, scopes: list[str] | None = None) -> TestClient:
    client = TestClient(site.app)
    if email is not None:
        token = api_token(site.app, email, scopes or ["issue"])
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_institutions_name_their_ob2_issuers_over_the_api(site: Site) -> None:
    with client_of(site, OPERATOR, ["admin"]) as operator:
        listed = {i["slug"]: i["ob2_issuers"] for i in operator.get("/api/institutions").json()}
        assert listed == {INSTITUTION: [site.host.url("/issuer")], "koivula": []}
        name = {"en": "Koivula University"}
        for taken_or_no_address in (site.host.url("/issuer"), "urn:uuid:0b2"):
            details = {"name": name, "ob2_issuers": [taken_or_no_address]}
            refused = operator.put("/api/institutions/koivula", json=details)
            assert refused.status_code == 422, refused.text
            assert "ob2_issuers" in refused.text


def test_api_upgrades_once_then_returns_the_same_credential(site: Site) -> None:
    badge = site.host.signed(id="urn:uuid:5a0e7a3c-api-once")
    with client_of(site, REGISTRAR) as client:
        path = f"/api/institutions/{INSTITUTION}/ob2-upgrades"
        made = client.post(path, json={"badge": badge})
        again = client.post(path, json={"badge": badge})
    assert made.status_code == 201, made.text
    assert again.status_code == 200, again.text
    assert made.json()["credential"] == again.json()["credential"]
    assert made.json()["original"] == "urn:uuid:5a0e7a3c-api-once"


def test_api_refuses_another_institutions_badge_and_strangers(site: Site) -> None:
    badge = site.host.signed(id="urn:uuid:5a0e7a3c-api-refused")
    with client_of(site, STRANGER) as client:
        theirs = client.post("/api/institutions/koivula/ob2-upgrades", json={"badge": badge})
        ours = client.post(f"/api/institutions/{INSTITUTION}/ob2-upgrades", json={"badge": badge})
    assert theirs.status_code == 422
    [issue] = theirs.json()["detail"]
    assert issue["element"] == "issuer"
    assert "not one of koivula's Open Badges 2.0 issuers" in issue["message"]
    assert ours.status_code == 403
    with client_of(site) as anonymous:
        path = f"/api/institutions/{INSTITUTION}/ob2-upgrades"
        assert anonymous.post(path, json={"badge": badge}).status_code == 401
    with client_of(site, REGISTRAR) as client:
        path = f"/api/institutions/{INSTITUTION}/ob2-upgrades"
        not_a_badge = client.post(path, json={"badge": {"name": "a recipe"}})
    assert not_a_badge.status_code == 422
    assert "not an Open Badges 2.0 badge" in not_a_badge.text


def test_verify_page_offers_the_upgrade_to_the_registrar_only(site: Site) -> None:
    badge = site.host.signed(id="urn:uuid:5a0e7a3c-web")
    with client_of(site) as anonymous:
        token = FIELD.search(anonymous.get("/verify").text)
        assert token is not None
        shown = anonymous.post("/verify", data={"csrf_token": token.group(2), "credential": badge})
        assert shown.status_code == 200 and 'action="/verify/ob2-upgrade"' not in shown.text
    with TestClient(site.app) as registrar:
        log_in(registrar, REGISTRAR)
        token = FIELD.search(registrar.get("/verify").text)
        assert token is not None
        report = registrar.post("/verify", data={"csrf_token": token.group(2), "credential": badge})
        assert "Re-issue as Open Badges 3.0 by TH Lahntal" in report.text
        form = report.text.split('action="/verify/ob2-upgrade"', 1)[1].split("</form>", 1)[0]
        fields = dict(FIELD.findall(form))
        assert fields["badge"] == badge and fields["institution"] == INSTITUTION
        made = registrar.post("/verify/ob2-upgrade", data=fields)
        assert made.status_code == 201, made.text
        assert "urn:uuid:5a0e7a3c-web" in made.text
        again = registrar.post("/verify/ob2-upgrade", data=fields)
        assert again.status_code == 200
        assert "re-issued before" in again.text
