"""Turning checked rows into a job: award, revoke or re-issue the good rows, report the bad ones.

Uploading the same file again for the same specification finds the unfinished job of that
file, if there is one, instead of starting a second; a finished one is started afresh, and
its idempotency keys make it issue nothing new.
"""

from __future__ import annotations

from typing import Any

from microcred.jobs.kinds import KINDS
from microcred.jobs.model import JobView, chunk_size, create_job, digest_of, unfinished_jobs
from microcred.services.bulk.preview import BulkPreview
from microcred.services.bulk.revocation import RevocationList
from microcred.store.database import Database
from microcred.store.records import SpecificationRecord


def bulk_job(
    db: Database,
    kind: str,
    preview: BulkPreview,
    record: SpecificationRecord,
    *,
    actor: str,
    reason: str | None = None,
) -> JobView:
    """Return the job (new, or unfinished from the same upload) doing ``kind`` for ``preview``."""
    rows = [row.to_json() for row in preview.accepted]
    rejected = [row.to_failure() for row in preview.rejected]
    return rows_job(db, kind, rows, rejected, record, preview.columns, actor=actor, reason=reason)


def revocation_job(
    db: Database,
    revocations: RevocationList,
    record: SpecificationRecord,
    *,
    actor: str,
    reason: str,
) -> JobView:
    """Return the job revoking the credentials of ``revocations`` with ``reason``."""
    rows = [row.to_json() for row in revocations.accepted]
    rejected = [row.to_failure() for row in revocations.rejected]
    return rows_job(
        db, "bulk-revoke", rows, rejected, record, revocations.columns, actor=actor, reason=reason
    )


def rows_job(
    db: Database,
    kind: str,
    rows: list[dict[str, Any]],
    rejected: list[dict[str, Any]],
    record: SpecificationRecord,
    columns: list[str],
    *,
    actor: str,
    reason: str | None = None,
) -> JobView:
    """Return the job (new, or unfinished with the same rows) doing ``kind`` for ``rows``."""
    payload: dict[str, Any] = {
        "spec_id": record.id,
        "version": record.version,
        "institution": record.institution,
        "actor": actor,
        "columns": columns,
    }
    if reason is not None:
        payload["reason"] = reason
    same = unfinished_jobs(db, digest_of(kind, payload, rows + rejected))
    if same:
        return same[0]
    size = chunk_size(KINDS[kind].chunk_size)
    return create_job(db, kind, record.institution, payload, rows, rejected=rejected, size=size)
