"""A wallet receives a micro-credential by offer over OpenID4VCI 1.0 (pre-authorised code)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import httpx
import pytest
from holder import Holder, WalletRefused, read_offer
from live_server import LiveServer

from api.app_fixtures import INSTITUTION
from microcred.crypto.did_key import did_key_for
from microcred.crypto.jose import b64url_decode
from microcred.services.oid4vci import Oid4vciIssuer
from microcred.store.wallet_tables import CredentialOfferRow
from microcred.verify.pipeline import verify_credential
from microcred.verify.report import VerificationReport


def _offer(server: LiveServer, **body: object) -> dict[str, object]:
    response = httpx.post(
        f"{server.base_url}/api/awards/{server.award_id}/wallet-offers",
        json=body,
        headers={"Authorization": f"Bearer {server.staff_token}"},
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _verify_here(server: LiveServer, credential: object) -> VerificationReport:
    return verify_credential(credential, **server.verifier_options())


def test_holder_receives_every_offered_format_bound_to_its_key_and_each_verifies(
    server: LiveServer, holder: Holder
) -> None:
    offer = _offer(server)
    received = holder.receive(str(offer["credential_offer_uri"]))

    assert set(received) == {
        "MicroCredential_ldp_vc",
        "MicroCredential_jwt_vc_json",
        "MicroCredential_dc+sd-jwt",
    }
    holder_did = did_key_for(holder.key.public_key)
    ldp = received["MicroCredential_ldp_vc"]
    assert ldp["credentialSubject"]["id"] == holder_did
    assert "proof" in ldp
    jwt_payload = b64url_decode(received["MicroCredential_jwt_vc_json"].split(".")[1])
    assert holder_did.encode() in jwt_payload
    sd_jwt = received["MicroCredential_dc+sd-jwt"]
    claims = json.loads(b64url_decode(sd_jwt.split("~")[0].split(".")[1]))
    assert claims["cnf"]["jwk"] == holder.key.public_key.to_jwk()
    for credential in received.values():
        report = _verify_here(server, credential)
        assert report.verified, report.summary


def test_offer_link_carries_the_pre_authorized_grant_and_the_issuer(server: LiveServer) -> None:
    offer = read_offer(str(_offer(server, with_tx_code=True)["credential_offer_uri"]))

    assert offer["credential_issuer"] == server.base_url
    grant = offer["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]
    assert grant["tx_code"] == {
        "input_mode": "numeric",
        "length": 6,
        "description": "The code in the e-mail about this credential",
    }


def test_pre_authorized_code_is_single_use(server: LiveServer, holder: Holder) -> None:
    offer = read_offer(str(_offer(server)["credential_offer_uri"]))
    holder.redeem(offer)

    with pytest.raises(WalletRefused) as refused:
        holder.redeem(offer)
    assert refused.value.status_code == 400
    assert refused.value.body["error"] == "invalid_grant"
    assert "already used" in refused.value.body["error_description"]


def test_pre_authorized_code_and_tx_code_are_stored_only_hashed(server: LiveServer) -> None:
    made = _offer(server, with_tx_code=True)
    code = read_offer(str(made["credential_offer_uri"]))["grants"][
        "urn:ietf:params:oauth:grant-type:pre-authorized_code"
    ]["pre-authorized_code"]
    with server.app.state.database.transaction(write=False) as session:
        row = session.get(CredentialOfferRow, made["offer_id"])
        stored = [row.code_hash, row.tx_code_hash]
    assert code not in stored and made["tx_code"] not in stored
    assert row.code_hash == hashlib.sha256(code.encode()).hexdigest()


def test_wrong_tx_code_fails_and_the_right_one_then_works(
    server: LiveServer, holder: Holder
) -> None:
    made = _offer(server, with_tx_code=True)
    offer = read_offer(str(made["credential_offer_uri"]))
    wrong = "000000" if made["tx_code"] != "000000" else "111111"

    with pytest.raises(WalletRefused) as refused:
        holder.redeem(offer, tx_code=wrong)
    assert refused.value.body == {
        "error": "invalid_grant",
        "error_description": "the transaction code is wrong",
    }
    with pytest.raises(WalletRefused) as missing:
        holder.redeem(offer)
    assert missing.value.body["error"] == "invalid_request"
    assert holder.redeem(offer, tx_code=str(made["tx_code"]))


def test_too_many_wrong_tx_codes_spend_the_offer(server: LiveServer, holder: Holder) -> None:
    made = _offer(server, with_tx_code=True)
    offer = read_offer(str(made["credential_offer_uri"]))
    wrong = "000000" if made["tx_code"] != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(WalletRefused):
            holder.redeem(offer, tx_code=wrong)

    with pytest.raises(WalletRefused) as refused:
        holder.redeem(offer, tx_code=str(made["tx_code"]))
    assert "too many wrong transaction codes" in refused.value.body["error_description"]


def test_expired_pre_authorized_code_fails(server: LiveServer, holder: Holder) -> None:
    service = Oid4vciIssuer(server.issuer())
    made = service.create_offer(server.award_id, lifetime=timedelta(seconds=-1))

    with pytest.raises(WalletRefused) as refused:
        holder.redeem(made.offer)
    assert refused.value.body["error_description"] == "the pre-authorized code has expired"


def test_credential_request_without_a_fresh_nonce_is_refused_with_invalid_nonce(
    server: LiveServer, holder: Holder
) -> None:
    offer = read_offer(str(_offer(server)["credential_offer_uri"]))
    token = holder.redeem(offer)
    body = {
        "credential_configuration_id": "MicroCredential_dc+sd-jwt",
        "proofs": {"jwt": [holder.key_proof(server.base_url, "made-up-nonce")]},
    }
    response = httpx.post(
        f"{server.base_url}/oid4vci/credential",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_nonce"


def test_credential_request_without_access_token_gets_401(server: LiveServer) -> None:
    response = httpx.post(f"{server.base_url}/oid4vci/credential", json={})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_a_configuration_is_issued_once_per_offer(server: LiveServer, holder: Holder) -> None:
    offer = read_offer(str(_offer(server)["credential_offer_uri"]))
    token = holder.redeem(offer)
    holder.request_credential(offer, token, "MicroCredential_dc+sd-jwt")

    with pytest.raises(WalletRefused) as refused:
        holder.request_credential(offer, token, "MicroCredential_dc+sd-jwt")
    assert refused.value.body["error"] == "credential_request_denied"


def test_metadata_names_the_endpoints_and_three_configurations(server: LiveServer) -> None:
    metadata = httpx.get(f"{server.base_url}/.well-known/openid-credential-issuer").json()

    assert metadata["credential_endpoint"] == f"{server.base_url}/oid4vci/credential"
    formats = {c["format"] for c in metadata["credential_configurations_supported"].values()}
    assert formats == {"ldp_vc", "jwt_vc_json", "dc+sd-jwt"}


def _jwt_signing_algorithms(server: LiveServer) -> dict[str, list[str]]:
    metadata = httpx.get(f"{server.base_url}/.well-known/openid-credential-issuer").json()
    return {
        name: configuration["credential_signing_alg_values_supported"]
        for name, configuration in metadata["credential_configurations_supported"].items()
        if configuration["format"] != "ldp_vc"
    }


def test_metadata_advertises_es384_once_a_p384_key_signs(server: LiveServer) -> None:
    before = _jwt_signing_algorithms(server)
    assert before and all(algorithms == ["EdDSA"] for algorithms in before.values())

    server.issuer().keys.rotate(INSTITUTION, "P-384")

    after = _jwt_signing_algorithms(server)
    assert all("ES384" in algorithms for algorithms in after.values())
    assert all("ES256" not in algorithms for algorithms in after.values())
