"""A small wallet (holder) for the tests: receives a credential by offer, keeps it, presents it.

It speaks to the issuer and the verifier only over HTTP, as a phone wallet would: it reads
the `openid-credential-offer://` link from the QR code, fetches the issuer's metadata, redeems
the pre-authorised code, proves its key over a fresh `c_nonce`, and stores what it receives.
For OpenID4VP it reads the `openid4vp://` link, fetches the signed request object, answers
the DCQL query with an SD-JWT VC presentation disclosing only the claims it chooses, and posts
it to the verifier's `response_uri` (direct_post).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from microcred.crypto import jose
from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.crypto.sd_jwt import present

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


class WalletRefused(Exception):
    """The server answered with an error; `body` is its JSON."""

    def __init__(self, status_code: int, body: Any) -> None:
        super().__init__(f"{status_code}: {body}")
        self.status_code = status_code
        self.body = body


def _json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise WalletRefused(response.status_code, response.json())
    return response.json()


def read_offer(uri: str) -> dict[str, Any]:
    """Return the Credential Offer object inside an openid-credential-offer:// link."""
    parts = urlsplit(uri)
    assert parts.scheme == "openid-credential-offer", parts.scheme
    return json.loads(parse_qs(parts.query)["credential_offer"][0])  # type: ignore[no-any-return]


@dataclass
class Holder:
    """A wallet with one key pair and the credentials it received."""

    key: PrivateKey = field(default_factory=PrivateKey.generate)
    credentials: dict[str, Any] = field(default_factory=dict)  # configuration id → credential
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    # --- OpenID4VCI ---

    def redeem(self, offer: dict[str, Any], tx_code: str | None = None) -> str:
        """Return an access token for `offer` (the token request of the pre-authorised flow)."""
        issuer = offer["credential_issuer"]
        authorization_server = _json(
            self.http.get(f"{issuer}/.well-known/oauth-authorization-server")
        )
        form = {
            "grant_type": PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": offer["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"],
        }
        if tx_code is not None:
            form["tx_code"] = tx_code
        grant = _json(self.http.post(authorization_server["token_endpoint"], data=form))
        assert grant["token_type"] == "Bearer"
        return grant["access_token"]  # type: ignore[no-any-return]

    def key_proof(self, audience: str, nonce: str | None, *, by: str = "jwk") -> str:
        """Return an openid4vci-proof+jwt over `audience` and `nonce`, naming the key by jwk
        or by its did:key verification method (`by="did"`)."""
        header: dict[str, Any] = {"typ": "openid4vci-proof+jwt"}
        if by == "jwk":
            header["jwk"] = self.key.public_key.to_jwk()
        else:
            header["kid"] = did_key_verification_method_id(self.key.public_key)
        claims: dict[str, Any] = {"aud": audience, "iat": int(time.time())}
        if nonce is not None:
            claims["nonce"] = nonce
        return jose.sign_jws(header, claims, self.key)

    def request_credential(
        self, offer: dict[str, Any], access_token: str, configuration_id: str, *, by: str = "jwk"
    ) -> Any:
        """Return the credential of one offered configuration, bound to this wallet's key."""
        issuer = offer["credential_issuer"]
        metadata = _json(self.http.get(f"{issuer}/.well-known/openid-credential-issuer"))
        assert metadata["credential_issuer"] == issuer
        nonce = _json(self.http.post(metadata["nonce_endpoint"]))["c_nonce"]
        body = {
            "credential_configuration_id": configuration_id,
            "proofs": {"jwt": [self.key_proof(issuer, nonce, by=by)]},
        }
        response = self.http.post(
            metadata["credential_endpoint"],
            json=body,
            headers={"Authorization": f"Bearer {access_token}"},
        )
        credential = _json(response)["credentials"][0]["credential"]
        self.credentials[configuration_id] = credential
        return credential

    def receive(self, offer_uri: str, tx_code: str | None = None) -> dict[str, Any]:
        """Receive every credential an offer link offers; return them by configuration id."""
        offer = read_offer(offer_uri)
        access_token = self.redeem(offer, tx_code)
        for configuration_id in offer["credential_configuration_ids"]:
            by = "jwk" if "sd-jwt" in configuration_id else "did"
            self.request_credential(offer, access_token, configuration_id, by=by)
        return self.credentials

    # --- OpenID4VP ---

    def read_request(self, request_link: str) -> dict[str, Any]:
        """Return the claims of the request object an openid4vp:// link points to (not
        signature-checked here: the tests check the verifier's answers, not the wallet's trust)."""
        query = parse_qs(urlsplit(request_link).query)
        request_uri = query["request_uri"][0]
        response = self.http.get(request_uri)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/oauth-authz-req+jwt")
        request = json.loads(jose.b64url_decode(response.text.split(".")[1]))
        assert request["client_id"] == query["client_id"][0]
        return request  # type: ignore[no-any-return]

    def presentation(
        self, request: dict[str, Any], disclose: list[str], *, nonce: str | None = None
    ) -> str:
        """Return an SD-JWT VC presentation of the stored SD-JWT VC for `request`."""
        sd_jwt = next(c for c in self.credentials.values() if isinstance(c, str) and "~" in c)
        return present(
            sd_jwt,
            disclose,
            self.key,
            audience=request["client_id"],
            nonce=nonce or request["nonce"],
            issued_at=int(time.time()),
        )

    def respond(self, request: dict[str, Any], vp_token: dict[str, list[str]]) -> httpx.Response:
        """Post `vp_token` to the request's response_uri (response_mode direct_post)."""
        assert request["response_mode"] == "direct_post"
        form = {"vp_token": json.dumps(vp_token), "state": request["state"]}
        return self.http.post(request["response_uri"], data=form)

    def present_to(
        self, request_link: str, disclose: list[str], *, nonce: str | None = None
    ) -> httpx.Response:
        """Answer a presentation request with the chosen claims; return the verifier's answer."""
        request = self.read_request(request_link)
        query_id = request["dcql_query"]["credentials"][0]["id"]
        return self.respond(
            request, {query_id: [self.presentation(request, disclose, nonce=nonce)]}
        )
