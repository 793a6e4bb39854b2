"""Whether the database holds any private key sealed under the key-encryption key."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.store.keys_tables import IssuerKeyRow
from microcred.store.learner_wallet_tables import WalletHolderKeyRow
from microcred.store.lti_tables import LtiToolKeyRow
from microcred.store.seal_tables import SealCertificateRow


def holds_sealed_keys(connection: Session | sa.Connection) -> bool:
    """Is an issuer key, a seal key, a wallet holder key or an LTI tool key stored sealed? (A
    new KEK could not open it, so none may be made while one is.)"""
    sealed = (
        sa.select(IssuerKeyRow.id).where(IssuerKeyRow.key_location == "sealed"),
        sa.select(SealCertificateRow.id),
        sa.select(WalletHolderKeyRow.user_id),
        sa.select(LtiToolKeyRow.kid),
    )
    return any(connection.execute(query.limit(1)).first() is not None for query in sealed)
