"""What the issuing and DID handlers reach through the application: issuer keys and the issuer."""

from __future__ import annotations

from fastapi import Request

from microcred.api.state import catalogue_of
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.status import StatusLists


def issuer_keys_of(request: Request) -> IssuerKeys:
    """Return the application's issuer keys, set up on first use from its database and settings."""
    keys: IssuerKeys | None = getattr(request.app.state, "issuer_keys", None)
    if keys is None:
        keys = IssuerKeys(request.app.state.database, request.app.state.settings)
        request.app.state.issuer_keys = keys
    return keys


def credential_issuer_of(request: Request, status: StatusLists | None = None) -> CredentialIssuer:
    """Return the application's credential issuer (catalogue, keys and settings together),
    on the application's status lists when given."""
    keys = issuer_keys_of(request)
    return CredentialIssuer(catalogue_of(request), keys, keys.settings, status)
