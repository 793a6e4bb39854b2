"""Who may read a presentation request: the staff member who made it, and nobody else.

The staff page and the API both ask here, so the two faces cannot drift apart. Anyone else is
told the request does not exist, so its existence is not revealed either.
"""

from __future__ import annotations

import sqlalchemy as sa

from microcred.domain.accounts import Principal
from microcred.store.database import Database
from microcred.store.wallet_tables import PresentationRequestRow


def own_presentation_request(
    db: Database, request_id: str, asker: Principal
) -> PresentationRequestRow:
    """Return the request ``asker`` made; raises LookupError when missing or someone else's."""
    with db.transaction(write=False) as session:
        try:
            row = session.get(PresentationRequestRow, request_id)
        except (ValueError, sa.exc.StatementError):
            row = None  # not a UUID
        if row is None or not row.created_by or row.created_by != asker.email:
            raise LookupError(f"no presentation request has the id {request_id!r}")
        session.expunge(row)
        return row
