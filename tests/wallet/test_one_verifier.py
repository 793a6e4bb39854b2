"""One verifier for every face: a credential this instance issued gets the same outcome, the same
issuer trust and the same checks from the VC API, the verify page, `microcred verify`, the
wallet import and OpenID4VP."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
from holder import Holder
from live_server import LiveServer
from typer.testing import CliRunner

from api.app_fixtures import api_token
from microcred.cli.main import app as cli_app
from microcred.services.accounts import Accounts

LDP = "MicroCredential_ldp_vc"
SD_JWT = "MicroCredential_dc+sd-jwt"
LEARNER_EMAIL = "jana.nowak@example.org"
# Checks only a presentation has: the holder's key binding and what the request asked for.
PRESENTATION_ONLY = {"key_binding", "request"}
# How the verify page names each check status (English).
PAGE_STATUS = {"could not be checked": "indeterminate"}
CHECK_ROW = re.compile(r'<code>(\w+)</code></th>\s*<td[^>]*><span class="badge \w+">([^<]+)</span>')


def _staff(server: LiveServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.staff_token}"}


def _received(server: LiveServer, holder: Holder) -> dict[str, Any]:
    made = httpx.post(
        f"{server.base_url}/api/awards/{server.award_id}/wallet-offers",
        json={"configuration_ids": [LDP, SD_JWT]},
        headers=_staff(server),
    ).json()
    return holder.receive(made["credential_offer_uri"])


def _checks(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (check["name"], check["status"])
        for check in report["checks"]
        if check["name"] not in PRESENTATION_ONLY
    ]


def _verdict(report: dict[str, Any]) -> dict[str, Any]:
    """Return what every face must agree on: outcome, trust and each check's status."""
    return {"outcome": report["outcome"], "trust": report["trust"], "checks": _checks(report)}


def _by_api(server: LiveServer, credential: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{server.base_url}/credentials/verify", json={"verifiableCredential": credential}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _by_page(server: LiveServer, credential: Any) -> list[tuple[str, str]]:
    """Return the checks the verify page shows for a pasted credential."""
    with httpx.Client(base_url=server.base_url) as browser:
        form = browser.get("/verify").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "the verify page has no CSRF field"
        pasted = credential if isinstance(credential, str) else json.dumps(credential)
        page = browser.post("/verify", data={"csrf_token": token.group(1), "credential": pasted})
    assert page.status_code == 200, page.text
    rows = [
        (name, PAGE_STATUS.get(status, status)) for name, status in CHECK_ROW.findall(page.text)
    ]
    return [row for row in rows if row[0] not in PRESENTATION_ONLY]


def _by_cli(server: LiveServer, credential: Any, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "credential.txt"
    path.write_text(credential if isinstance(credential, str) else json.dumps(credential))
    database = server.app.state.database.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli_app,
        ["--db", database, "verify", str(path), "--json"],
        env={"MICROCRED_BASE_URL": server.base_url, "MICROCRED_TRUSTED_ISSUERS": ""},
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _by_wallet_import(server: LiveServer, credential: Any) -> dict[str, Any]:
    Accounts(server.app.state.database).create_user(LEARNER_EMAIL, actor="test setup")
    token = api_token(server.app, LEARNER_EMAIL)
    response = httpx.post(
        f"{server.base_url}/api/wallet/credentials",
        json={"credential": credential},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _by_oid4vp(server: LiveServer, holder: Holder) -> dict[str, Any]:
    asked = httpx.post(
        f"{server.base_url}/api/oid4vp/requests", json={"min_ects": 1}, headers=_staff(server)
    ).json()
    answer = holder.present_to(asked["request_link"], ["title", "ects"])
    assert answer.status_code == 200, answer.text
    result = httpx.get(
        f"{server.base_url}/api/oid4vp/requests/{asked['id']}", headers=_staff(server)
    ).json()
    return result["report"]  # type: ignore[no-any-return]


def test_a_credential_issued_here_reads_the_same_through_api_page_cli_and_wallet(
    server: LiveServer, holder: Holder, tmp_path: Path
) -> None:
    credential = _received(server, holder)[LDP]

    api = _by_api(server, credential)

    assert api["outcome"] == "verified" and api["trust"] == "trusted", api["summary"]
    assert ("status", "ok") in _checks(api)  # our own status list, read from our database
    assert _by_page(server, credential) == _checks(api)
    assert _verdict(_by_cli(server, credential, tmp_path)) == _verdict(api)
    imported = _by_wallet_import(server, credential)
    assert (imported["verdict"], imported["summary"]) == (api["verdict"], api["summary"])


def test_an_sd_jwt_vc_issued_here_reads_the_same_through_api_page_cli_and_oid4vp(
    server: LiveServer, holder: Holder, tmp_path: Path
) -> None:
    credential = _received(server, holder)[SD_JWT]

    api = _by_api(server, credential)

    assert api["outcome"] == "verified" and api["trust"] == "trusted", api["summary"]
    assert _by_page(server, credential) == _checks(api)
    assert _verdict(_by_cli(server, credential, tmp_path)) == _verdict(api)
    presented = _by_oid4vp(server, holder)
    assert _verdict(presented) == _verdict(api)
