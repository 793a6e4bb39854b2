"""Every award, bulk and job page sends an anonymous visitor to sign in, and changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_world import award_count, make_world

from accounts.routes import routes_of

PAGES = ("/awards", "/jobs", "/specifications/{spec_id}/award", "/specifications/{spec_id}/bulk")
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def kek(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")


def test_every_award_bulk_and_job_route_sends_anonymous_visitors_to_sign_in(
    tmp_path: Path,
) -> None:
    world = make_world(tmp_path / "routes.db")
    routes = [r for r in routes_of(world.app) if r[1].startswith(PAGES)]
    assert len(routes) >= 10
    with TestClient(world.app) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        for method, path in routes:
            url = path.replace("{spec_id}", world.spec_a)
            url = re.sub(r"\{\w+\}", UNKNOWN, url)
            form = {"csrf_token": token.group(1)} if method == "POST" else None
            response = client.request(method, url, data=form, follow_redirects=False)
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next="), (method, path)
    assert award_count(world.app) == 0
