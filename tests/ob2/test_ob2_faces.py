"""Every face that verifies takes Open Badges 2.0: the verify page (a dropped baked badge), the
VC API (an assertion's JSON) and `microcred verify` (a baked badge file)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_ob2_verification import png_with_openbadges, svg_with_assertion
from typer.testing import CliRunner

from microcred.app import create_app
from microcred.cli.main import app as cli
from microcred.config import Settings
from support.ob2_host import Ob2Host

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def trusted(tmp_path: Path, host: Ob2Host) -> Path:
    path = tmp_path / "trusted.json"
    issuers = [{"id": host.url("/issuer"), "name": "Hochschule Lahntal"}]
    path.write_text(json.dumps({"issuers": issuers}))
    return path


@pytest.fixture
def client(tmp_path: Path, trusted: Path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'microcred.db'}",
        secret_key="test-key",
        trusted_issuers_file=str(trusted),
        fetch_allow_private=True,
    )
    with TestClient(create_app(settings, migrate=True)) as client:
        yield client


def test_verify_page_reports_a_dropped_baked_badge_check_by_check(client, host: Ob2Host) -> None:
    image = png_with_openbadges(host.hosted()["id"])
    token = TOKEN.search(client.get("/verify").text).group(1)
    response = client.post(
        "/verify",
        data={"csrf_token": token},
        files={"file": ("badge.png", image, "image/png")},
    )
    assert response.status_code == 200, response.text
    for name in ("badge_class", "issuer_profile", "verification", "ob2_limits"):
        assert f"<code>{name}</code>" in response.text
    assert "Open Badges 2.0 cannot prove" in response.text


def test_verify_page_refuses_a_forged_signed_badge(client, host: Ob2Host) -> None:
    header, payload, _signature = host.signed().split(".")
    image = svg_with_assertion(f"{header}.{payload}.AAAA")
    token = TOKEN.search(client.get("/verify").text).group(1)
    response = client.post("/verify", data={"csrf_token": token, "credential": image})
    assert response.status_code == 422
    assert "signature does not verify" in response.text


def test_vc_api_verifies_an_ob2_assertion(client, host: Ob2Host) -> None:
    response = client.post("/credentials/verify", json={"verifiableCredential": host.hosted()})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verdict"] == "verified"
    assert [c["name"] for c in report["checks"]][:3] == ["parse", "assertion", "badge_class"]


def test_verify_command_reads_a_baked_badge_file(tmp_path: Path, trusted: Path, host) -> None:
    badge = tmp_path / "badge.png"
    badge.write_bytes(png_with_openbadges(host.signed()))
    result = CliRunner().invoke(
        cli,
        ["verify", str(badge), "--trusted-issuers", str(trusted), "--json"],
        env={"MICROCRED_FETCH_ALLOW_PRIVATE": "true", "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["verdict"] == "verified"


def test_verify_command_exits_1_for_a_revoked_badge(tmp_path: Path, host: Ob2Host) -> None:
    badge = tmp_path / "badge.png"
    badge.write_bytes(png_with_openbadges(host.signed()))
    host.revoke("urn:uuid:3f1c1e0e-5d8b-4d55-9d0e-0a1b2c3d4e5f")
    result = CliRunner().invoke(
        cli, ["verify", str(badge)], env={"MICROCRED_FETCH_ALLOW_PRIVATE": "true"}
    )
    assert result.exit_code == 1, result.output
    assert "revoked" in result.output
