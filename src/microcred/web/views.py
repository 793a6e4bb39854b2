"""Small pieces every page uses: a record or a 404, names of profiles, severities, statuses."""

from __future__ import annotations

from fastapi import HTTPException, Request

from microcred.http.visibility import visible_record
from microcred.i18n import _
from microcred.services.catalogue import SpecificationNotFound, SpecificationRecord


def record_or_404(
    request: Request, spec_id: str, version: int | None = None
) -> SpecificationRecord:
    """Return a specification's latest version (or ``version``) the asker may see; else 404."""
    try:
        return visible_record(request, spec_id, version)
    except SpecificationNotFound as missing:
        raise HTTPException(status_code=404, detail=str(missing)) from None


def profile_names() -> dict[str, str]:
    return {
        "eu": _("EU Council Recommendation"),
        "eslp": _("European Short Learning Programme (E-SLP)"),
        "microbol": _("MICROBOL (Bologna Process)"),
    }


def severity_names() -> dict[str, str]:
    return {"error": _("error"), "warning": _("warning"), "info": _("note")}


def status_names() -> dict[str, str]:
    return {"draft": _("Draft"), "published": _("Published"), "archived": _("Archived")}
