"""A wallet offer (OpenID4VCI) of a learner's credential, as the claim page shows it."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request

from microcred.formats.pdf.qr import qr_png
from microcred.http.services import oid4vci_of


@dataclass(frozen=True)
class ShownOffer:
    """What the learner needs: the link (and its QR code) and the transaction code, if any."""

    uri: str
    qr: str  # a data: URL of the QR code's PNG
    tx_code: str | None
    expires_at: datetime


class NoOffer(LookupError):
    """The credential was not awarded here, so no wallet offer can be made for it."""


def wallet_offer(request: Request, credential_id: str, *, with_tx_code: bool) -> ShownOffer:
    """Return a new offer of the credential to a wallet; raises `NoOffer`."""
    issuer = oid4vci_of(request)
    award = issuer.awards.by_credential(credential_id)
    if award is None:
        raise NoOffer(credential_id)
    made = issuer.create_offer(award.id, with_tx_code=with_tx_code)
    qr = "data:image/png;base64," + base64.b64encode(qr_png(made.uri, scale=5)).decode()
    return ShownOffer(made.uri, qr, made.tx_code, made.expires_at)
