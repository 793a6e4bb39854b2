"""Uploaded files between their preview and the registrar's confirmation.

The preview shows what a file would do; confirming starts the job from the very bytes that
were previewed, so nothing has to be uploaded twice and what runs is what was shown. An upload
belongs to an institution and a specification; one left unconfirmed is deleted after a day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.jobs_tables import JobUploadRow

KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Upload:
    id: str
    kind: str
    institution: str
    specification_id: str
    filename: str
    content: bytes
    options: dict[str, Any]


def keep_upload(
    db: Database,
    kind: str,
    institution: str,
    spec_id: str,
    filename: str,
    content: bytes,
    options: dict[str, Any],
    *,
    actor: str,
) -> str:
    """Store an upload until it is confirmed; return its id. Drops uploads left for a day."""
    upload_id = str(uuid.uuid4())
    now = utc_now()
    with db.transaction() as session:
        session.execute(sa.delete(JobUploadRow).where(JobUploadRow.created_at < now - KEPT_FOR))
        session.add(
            JobUploadRow(
                id=upload_id,
                kind=kind,
                institution=institution,
                specification_id=spec_id,
                filename=filename[:300],
                content=content,
                options=options,
                created_by=actor,
                created_at=now,
            )
        )
    return upload_id


def find_upload(db: Database, upload_id: str, spec_id: str) -> Upload | None:
    """Return the upload for ``spec_id`` with that id, if it is still kept."""
    with db.transaction(write=False) as session:
        row = session.get(JobUploadRow, upload_id)
        if row is None or row.specification_id != spec_id:
            return None
        return Upload(
            row.id,
            row.kind,
            row.institution,
            row.specification_id,
            row.filename,
            row.content,
            dict(row.options),
        )


def drop_upload(db: Database, upload_id: str) -> None:
    with db.transaction() as session:
        session.execute(sa.delete(JobUploadRow).where(JobUploadRow.id == upload_id))
