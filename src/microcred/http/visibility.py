"""What of the catalogue the asker may see: published and archived versions are public; drafts
only to staff of their institution (to anyone else a draft-only specification does not exist)."""

from __future__ import annotations

from fastapi import Request

from microcred.domain.accounts import Action, permits, readable_drafts
from microcred.domain.specification_status import SpecificationStatus
from microcred.http.auth import current_user, hidden_specification
from microcred.http.services import catalogue_of
from microcred.services.catalogue import CatalogueQuery, SpecificationRecord


def may_see(request: Request, record: SpecificationRecord) -> bool:
    """True when the asker may see this version."""
    if record.status != SpecificationStatus.draft:
        return True
    return permits(current_user(request), Action.read_drafts, record.institution)


def visible_versions(request: Request, spec_id: str) -> list[SpecificationRecord]:
    """Return the versions the asker may see, oldest first (404 when none)."""
    seen = [
        record for record in catalogue_of(request).versions(spec_id) if may_see(request, record)
    ]
    if not seen:
        raise hidden_specification(spec_id)
    return seen


def visible_record(
    request: Request, spec_id: str, version: int | None = None
) -> SpecificationRecord:
    """Return the version asked for (default: the latest the asker may see), or 404."""
    if version is None:
        return visible_versions(request, spec_id)[-1]
    record = catalogue_of(request).get(spec_id, version)
    if not may_see(request, record):
        raise hidden_specification(spec_id)
    return record


def visible_search(request: Request, query: CatalogueQuery | None) -> list[SpecificationRecord]:
    """Return the catalogue search, with drafts only of the institutions the asker staffs."""
    return catalogue_of(request).search(query, readable_drafts(current_user(request)))
