"""The app as a live server for the wallet tests: its address, the award offered, a staff token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.verify.status import DEFAULT_FETCHER


@dataclass
class LiveServer:
    base_url: str
    app: FastAPI
    award_id: str
    staff_token: str

    def issuer(self) -> CredentialIssuer:
        keys = IssuerKeys(self.app.state.database, self.app.state.settings)
        return CredentialIssuer(self.app.state.catalogue, keys, keys.settings)

    def verifier_options(self) -> dict[str, Any]:
        """Return what this instance's verifier uses: our keys and status lists, read here."""
        issuer = self.issuer()
        return {
            "resolve_key": issuer.keys.key_resolver(),
            "fetch_status_list": issuer.status.published.fetcher(DEFAULT_FETCHER),
        }
