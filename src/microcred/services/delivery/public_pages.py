"""Whether a credential's public page is shown: on by default, the learner decides.

Shown by default because the QR code on the certificate must open a page an employer can
read in ten seconds; the page shows only the learner's name, the title and the dates. The
learner turns it off (and on again) from the claim page.
"""

from __future__ import annotations

import sqlalchemy as sa

from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.delivery_tables import PublicCredentialPageRow
from microcred.store.status_tables import IssuedCredentialRow

SHOWN_BY_DEFAULT = True


class PublicPages:
    def __init__(self, db: Database) -> None:
        self.db = db

    def is_public(self, credential_id: str) -> bool:
        """Return whether the credential's public page is shown."""
        with self.db.transaction(write=False) as session:
            visible = session.scalar(
                sa.select(PublicCredentialPageRow.visible).where(
                    PublicCredentialPageRow.credential_id == credential_id
                )
            )
        return SHOWN_BY_DEFAULT if visible is None else bool(visible)

    def set_public(self, credential_id: str, visible: bool) -> None:
        """Show or hide the credential's public page; raises LookupError for an unknown id."""
        with self.db.transaction() as session:
            if session.get(IssuedCredentialRow, credential_id) is None:
                raise LookupError(f"no credential issued here has the id {credential_id!r}")
            row = session.get(PublicCredentialPageRow, credential_id)
            if row is None:
                session.add(
                    PublicCredentialPageRow(
                        credential_id=credential_id, visible=visible, changed_at=utc_now()
                    )
                )
            else:
                row.visible = visible
                row.changed_at = utc_now()
