"""Re-issuing an Open Badges 2.0 badge as Open Badges 3.0 from the verify page.

When a verified OB 2.0 badge's issuer is one an institution names as its own, and the person
reading the report may issue there, the report offers to re-issue the badge (see
`microcred.services.ob2_upgrades`). The form sends the badge on by what names it again (a
signed badge's JWS, a hosted badge's URL), so the badge is verified once more when upgraded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from microcred.domain.accounts import Action, permits
from microcred.domain.specification import localise
from microcred.http.auth import Target, authorize, signed_in, viewer
from microcred.http.services import catalogue_of, ob2_upgrades_of
from microcred.i18n import _
from microcred.services.catalogue import InstitutionNotFound
from microcred.services.ob2_upgrades import Ob2UpgradeRefused
from microcred.verify import VerificationReport
from microcred.verify.ob2 import badge_reference
from microcred.verify.report import CheckStatus, Verdict
from microcred.web import csrf
from microcred.web.templating import render

router = APIRouter(include_in_schema=False)
_VERIFIED = {Verdict.verified, Verdict.verified_untrusted_issuer}


@dataclass(frozen=True)
class UpgradeOffer:
    """Re-issuing the badge shown as one institution: the form's fields and its button."""

    institution: str
    name: str
    badge: str


def upgrade_offers(
    request: Request, report: VerificationReport, given: bytes | str
) -> list[UpgradeOffer]:
    """Return the institutions the viewer may re-issue this verified OB 2.0 badge as."""
    principal = viewer(request)
    issuer = report.find("issuer_profile")
    if principal is None or report.verdict not in _VERIFIED or issuer is None:
        return []
    if issuer.status != CheckStatus.ok or not isinstance(issuer.details.get("id"), str):
        return []
    badge = badge_reference(given)
    if not badge:
        return []
    return [
        UpgradeOffer(institution.slug, localise(institution.name, request.state.lang), badge)
        for institution in ob2_upgrades_of(request).institutions_of(issuer.details["id"])
        if permits(principal, Action.issue, institution.slug)
    ]


@router.post("/verify/ob2-upgrade", response_class=HTMLResponse)
async def upgrade_posted(
    request: Request, form: FormData = Depends(csrf.checked_form)
) -> HTMLResponse:
    signed_in(request)  # anonymous: to the login page first, whatever the form holds
    institution, badge = form.get("institution"), form.get("badge")
    if not isinstance(institution, str) or not isinstance(badge, str) or not badge.strip():
        raise HTTPException(400, detail=_("Say which badge to re-issue, and as which institution."))
    principal = authorize(request, Action.issue, Target(institution))
    upgrades = ob2_upgrades_of(request)
    try:
        # Verifying and signing are CPU and network work: the thread pool, not the event loop.
        upgrade = await run_in_threadpool(
            lambda: upgrades.upgrade(institution, badge, actor=principal.label)
        )
    except Ob2UpgradeRefused as error:
        context: dict[str, Any] = {"nav": "verify", "problem": error.message, "upgrade": None}
        return render(request, "ob2_upgrade.html", context, status_code=422)
    except InstitutionNotFound as error:
        raise HTTPException(404, detail=str(error)) from error
    names = {i.slug: i.name for i in catalogue_of(request).list_institutions()}
    context = {
        "nav": "verify",
        "problem": "",
        "upgrade": upgrade,
        "institution_name": localise(names.get(upgrade.institution, {}), request.state.lang)
        or upgrade.institution,
        "credential_json": json.dumps(upgrade.credential, indent=2, ensure_ascii=False),
    }
    return render(request, "ob2_upgrade.html", context, status_code=201 if upgrade.created else 200)
