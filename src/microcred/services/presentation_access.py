"""Who may read a presentation request: the staff member who made it, and nobody else.

The staff page and the API both ask here, so the two faces cannot drift apart. Anyone else is
told the request does not exist, so its existence is not revealed either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from microcred.domain.accounts import Principal
from microcred.services.oid4vci import as_utc
from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.wallet_tables import PresentationRequestRow


@dataclass(frozen=True)
class PresentationRequestView:
    """A presentation request as its maker sees it: what was asked, and where the answer stands.

    ``expired`` only while unanswered; ``report`` and ``disclosed`` once the wallet answered.
    """

    id: str
    min_ects: float
    field: str | None
    expires_at: datetime
    answered: bool
    expired: bool
    report: dict[str, Any] | None
    disclosed: dict[str, Any]


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


def presentation_request_view(
    db: Database, request_id: str, asker: Principal, now: datetime | None = None
) -> PresentationRequestView:
    """Return the request ``asker`` made and its state at ``now``; LookupError as above."""
    row = own_presentation_request(db, request_id, asker)
    result = row.result or {}
    expires_at = as_utc(row.expires_at)
    return PresentationRequestView(
        id=row.id,
        min_ects=row.min_ects,
        field=row.field,
        expires_at=expires_at,
        answered=row.result is not None,
        expired=row.result is None and expires_at <= (now or utc_now()),
        report=result.get("report"),
        disclosed=result.get("disclosed") or {},
    )
