"""A wallet presents its SD-JWT VC micro-credential to a verifier over OpenID4VP 1.0."""

from __future__ import annotations

import json
from typing import Any

import httpx
import sqlalchemy as sa
from holder import Holder
from live_server import LiveServer

from microcred.crypto import jose
from microcred.store.wallet_tables import WalletCredentialRow

SD_JWT = "MicroCredential_dc+sd-jwt"


def _staff(server: LiveServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.staff_token}"}


def _receive_sd_jwt_vc(server: LiveServer, holder: Holder) -> None:
    made = httpx.post(
        f"{server.base_url}/api/awards/{server.award_id}/wallet-offers",
        json={"configuration_ids": [SD_JWT]},
        headers=_staff(server),
    ).json()
    holder.receive(made["credential_offer_uri"])


def _ask(server: LiveServer, min_ects: float, field: str | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{server.base_url}/api/oid4vp/requests",
        json={"min_ects": min_ects, "field": field},
        headers=_staff(server),
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _result(server: LiveServer, request_id: str) -> dict[str, Any]:
    url = f"{server.base_url}/api/oid4vp/requests/{request_id}"
    return httpx.get(url, headers=_staff(server)).json()  # type: ignore[no-any-return]


def test_presentation_disclosing_only_title_and_ects_verifies_and_reveals_nothing_else(
    server: LiveServer, holder: Holder
) -> None:
    _receive_sd_jwt_vc(server, holder)
    asked = _ask(server, min_ects=5, field="05")
    request = holder.read_request(asked["request_link"])
    assert [c["path"] for c in request["dcql_query"]["credentials"][0]["claims"]] == [
        ["title"],
        ["ects"],
        ["isced_f"],
    ]

    answer = holder.present_to(asked["request_link"], ["title", "ects", "isced_f"])

    assert answer.status_code == 200, answer.text
    result = _result(server, asked["id"])
    assert result["state"] == "answered"
    assert result["report"]["verdict"] == "verified", result["report"]["summary"]
    assert set(result["disclosed"]) == {"title", "ects", "isced_f"}
    assert result["disclosed"]["ects"] == 5.0
    seen = json.dumps(result)
    for secret in ("Jana", "Nowak", "1990-05-17", "jana.nowak@example.org", "S-4711", "1.7"):
        assert secret not in seen


def test_presentation_of_title_and_ects_alone_shows_the_verifier_only_those(
    server: LiveServer, holder: Holder
) -> None:
    _receive_sd_jwt_vc(server, holder)
    asked = _ask(server, min_ects=3)

    holder.present_to(asked["request_link"], ["title", "ects"])

    result = _result(server, asked["id"])
    assert result["report"]["verdict"] == "verified", result["report"]["summary"]
    assert set(result["disclosed"]) == {"title", "ects"}


def test_too_few_ects_fail_the_request_check(server: LiveServer, holder: Holder) -> None:
    _receive_sd_jwt_vc(server, holder)
    asked = _ask(server, min_ects=10)

    holder.present_to(asked["request_link"], ["title", "ects"])

    report = _result(server, asked["id"])["report"]
    assert report["failed_check"] == "request"
    assert "5 ECTS is less than the 10 asked for" in report["summary"]


def test_replayed_presentation_is_refused(server: LiveServer, holder: Holder) -> None:
    _receive_sd_jwt_vc(server, holder)
    asked = _ask(server, min_ects=5)
    request = holder.read_request(asked["request_link"])
    vp_token = {"micro_credential": [holder.presentation(request, ["title", "ects"])]}
    assert holder.respond(request, vp_token).status_code == 200

    replay = holder.respond(request, vp_token)

    assert replay.status_code == 400
    assert replay.json()["error_description"] == "this request was already answered"


def test_presentation_made_for_another_request_fails_key_binding(
    server: LiveServer, holder: Holder
) -> None:
    _receive_sd_jwt_vc(server, holder)
    first = holder.read_request(_ask(server, min_ects=5)["request_link"])
    second_asked = _ask(server, min_ects=5)
    second = holder.read_request(second_asked["request_link"])
    old = holder.presentation(first, ["title", "ects"])

    holder.respond(second, {"micro_credential": [old]})

    report = _result(server, second_asked["id"])["report"]
    assert report["failed_check"] == "key_binding"
    assert "nonce" in report["summary"]


def test_wrong_nonce_presentation_fails(server: LiveServer, holder: Holder) -> None:
    _receive_sd_jwt_vc(server, holder)
    asked = _ask(server, min_ects=5)

    holder.present_to(asked["request_link"], ["title", "ects"], nonce="not-the-nonce")

    report = _result(server, asked["id"])["report"]
    assert report["verdict"] == "failed"
    assert report["failed_check"] == "key_binding"


def test_revoked_credential_fails_the_status_check(server: LiveServer, holder: Holder) -> None:
    _receive_sd_jwt_vc(server, holder)
    with server.app.state.database.transaction(write=False) as session:
        credential_id = session.scalars(sa.select(WalletCredentialRow.credential_id)).one()
    server.issuer().status.revoke(credential_id, reason="issued in error", actor="registrar")
    asked = _ask(server, min_ects=5)

    holder.present_to(asked["request_link"], ["title", "ects"])

    report = _result(server, asked["id"])["report"]
    assert report["failed_check"] == "status"
    assert "revoked" in report["summary"]


def test_request_object_is_signed_by_the_instance_and_asks_for_direct_post(
    server: LiveServer, holder: Holder
) -> None:
    asked = _ask(server, min_ects=5)
    request_uri = holder.read_request(asked["request_link"])["response_uri"].replace(
        "/oid4vp/response", f"/oid4vp/requests/{asked['id']}"
    )
    jwt = httpx.get(request_uri).text
    resolve = server.issuer().keys.key_resolver()

    header, claims = jose.read_jws(
        jwt, typ="oauth-authz-req+jwt", key_for=lambda h: resolve(h["kid"])
    )

    assert claims["client_id"].startswith("decentralized_identifier:did:web:")
    assert header["kid"].startswith(claims["client_id"].removeprefix("decentralized_identifier:"))
    assert claims["response_mode"] == "direct_post"
    assert claims["state"] == asked["id"]
