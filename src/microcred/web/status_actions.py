"""Suspending, reinstating and revoking one awarded credential from its award page.

- ``status_panel(request, award)``: what the award page shows about the credential's status:
  the changes a registrar of its institution may make now, and the audit log's entries.
- ``POST /awards/{id}/status/{change}`` (``suspend``, ``reinstate`` or ``revoke``): each needs a
  reason, recorded with who did it; a revocation also needs its box ticked, as it cannot be
  undone. Done, it sends the registrar back to the award page. A missing reason (422) or a
  change the status service refuses (409) shows the award page again with the message, and
  nothing changes. Only those with the ``change-status`` permission at the credential's
  institution get through; others get 404 (cannot see it) or 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.accounts import Action, permits
from microcred.http.auth import Target, authorize, current_user, signed_in
from microcred.http.services import awards_of, status_lists_of
from microcred.i18n import _
from microcred.services.audit import AuditEvent, events_for
from microcred.services.awards import AwardNotFound, AwardRecord
from microcred.services.status import CredentialNotFound, StatusError
from microcred.web import csrf

router = APIRouter(include_in_schema=False)
CHANGES = ("suspend", "reinstate", "revoke")


@dataclass(frozen=True)
class StatusForm:
    """What was sent and what was wrong with it, to show the forms again."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    refusal: str | None = None


@dataclass(frozen=True)
class StatusPanel:
    state: str | None  # "valid", "suspended", "revoked"; None: the credential has no status
    changes: tuple[str, ...]  # the changes the viewer may make now
    history: list[AuditEvent]
    form: StatusForm


def status_panel(request: Request, award: AwardRecord) -> StatusPanel:
    """Return the credential's state, the changes the viewer may make and its audit entries."""
    form: StatusForm = getattr(request.state, "status_form", None) or StatusForm()
    history = events_for(request.app.state.database, award.credential_id)
    try:
        state = status_lists_of(request).status_of(award.credential_id).state
    except CredentialNotFound:
        return StatusPanel(None, (), history, form)
    if not permits(current_user(request), Action.change_status, award.institution):
        return StatusPanel(state, (), history, form)
    return StatusPanel(state, _changes_for(state), history, form)


def _changes_for(state: str) -> tuple[str, ...]:
    if state == "revoked":
        return ()
    if state == "suspended":
        return ("reinstate", "revoke")
    return ("suspend", "revoke")


def _award_to_change(request: Request, award_id: str) -> tuple[AwardRecord, str]:
    """Return the award and who changes it; 404 to those who may not see it, 403 to others."""
    signed_in(request)
    try:
        found = awards_of(request).get(award_id)
    except (AwardNotFound, ValueError):
        raise HTTPException(404, detail=_("No award has this id.")) from None
    principal = authorize(request, Action.change_status, Target(found.institution, public=False))
    return found, principal.label


def _check(change: str, form: FormData) -> StatusForm:
    """Return the sent values and each field's problem (none: the change may be made)."""
    values = {name: str(form.get(name) or "").strip() for name in (f"{change}_reason",)}
    errors: dict[str, list[str]] = {}
    if not values[f"{change}_reason"]:
        errors[f"{change}_reason"] = [_("Give a reason: it is recorded in the audit log.")]
    if change == "revoke" and form.get("revoke_confirm") != "true":
        errors["revoke_confirm"] = [
            _("Tick the box to confirm: a revocation is final and cannot be undone.")
        ]
    return StatusForm(values, errors)


def _award_page_again(request: Request, award_id: str, form: StatusForm, code: int) -> Response:
    # Imported here: the award page imports this module for its status panel.
    from microcred.web.awards_pages import award_page

    request.state.status_form = form
    page = award_page(request, award_id)
    page.status_code = code
    return page


@router.post("/awards/{award_id}/status/{change}", response_class=HTMLResponse)
def change_status(
    request: Request, award_id: str, change: str, form: FormData = Depends(csrf.checked_form)
) -> Response:
    award, actor = _award_to_change(request, award_id)
    if change not in CHANGES:
        raise HTTPException(404, detail=_("Choose suspend, reinstate or revoke."))
    checked = _check(change, form)
    if checked.errors:
        return _award_page_again(request, award_id, checked, 422)
    lists = status_lists_of(request)
    apply = {"suspend": lists.suspend, "reinstate": lists.reinstate, "revoke": lists.revoke}
    try:
        apply[change](award.credential_id, reason=checked.values[f"{change}_reason"], actor=actor)
    except CredentialNotFound:
        refused = StatusForm(refusal=_("This credential was issued without a status entry."))
        return _award_page_again(request, award_id, refused, 409)
    except StatusError as refusal:  # StatusChangeRefused: e.g. a revocation is final
        return _award_page_again(request, award_id, StatusForm(refusal=str(refusal)), 409)
    return RedirectResponse(f"/awards/{award_id}?changed={change}", status_code=303)
