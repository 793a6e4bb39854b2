"""Which institutions a signed-in person may act for on a staff page, and the nav it earns them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request

from microcred.domain.accounts import Action, Principal, permits
from microcred.http.auth import signed_in
from microcred.http.services import catalogue_of
from microcred.i18n import _


def institutions_for(request: Request, principal: Principal, action: Action) -> list[str]:
    """Return the slugs of the institutions where ``principal`` may do ``action``, sorted."""
    if principal.is_operator:
        slugs = [institution.slug for institution in catalogue_of(request).list_institutions()]
    else:
        slugs = list(principal.roles)
    return sorted(slug for slug in slugs if permits(principal, action, slug))


def staff_for(action: Action) -> Callable[[Request], Principal]:
    """Return a dependency letting through those who may do ``action`` somewhere (else 403)."""

    def dependency(request: Request) -> Principal:
        principal = signed_in(request)
        if not institutions_for(request, principal, action):
            raise HTTPException(
                403, detail=_("This page is for staff whose role allows it at an institution.")
            )
        return principal

    return dependency


def is_staff(principal: Principal | None) -> bool:
    """True when ``principal`` holds a staff role anywhere, or runs the instance."""
    return principal is not None and (principal.is_operator or bool(principal.staff_of()))


def landing_path(principal: Principal) -> str:
    """Return where someone lands after signing in with no page asked for.

    Staff go to their dashboard (a designer's drafts come first there); a learner to the
    wallet, which holds what they came for.
    """
    return "/dashboard" if is_staff(principal) else "/wallet"


def staff_links(principal: Principal | None) -> list[tuple[str, str, str]]:
    """Return the staff pages ``principal``'s roles open, as (nav key, path, label)."""
    if principal is None:
        return []
    may = {
        action
        for action in (Action.edit_specification, Action.decide_recognition, Action.read_analytics)
        if principal.is_operator or any(permits(principal, action, s) for s in principal.roles)
    }
    links = [("dashboard", "/dashboard", _("Dashboard"))] if is_staff(principal) else []
    if Action.edit_specification in may:
        links.append(("designer", "/designer", _("Design")))
        links.append(("pathway-design", "/pathways/design", _("Pathways")))
    if Action.decide_recognition in may:
        links.append(("recognition", "/recognition", _("Recognition")))
    if Action.read_analytics in may:
        links.append(("analytics", "/analytics", _("Analytics")))
    if is_staff(principal):
        links.append(("wallet-verifier", "/verifier/wallet", _("Ask a wallet")))
    return links
