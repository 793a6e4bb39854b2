"""The learner's wallet as both faces reach it: share links, and the pathways it now completes."""

from __future__ import annotations

from fastapi import Request

from microcred.domain.accounts import Principal
from microcred.http.services import pathways_of
from microcred.services.award_input import LearnerInput


def share_url(request: Request, token: str) -> str:
    """Return the public address of the share link with ``token``."""
    base = request.app.state.settings.base_url.rstrip("/")
    return f"{base}/shared/{token}"


def token_from_link(link: str) -> str:
    """Return the token of a share link (a whole URL, or the token alone)."""
    return link.strip().rstrip("/").rsplit("/", 1)[-1]


def award_completed_pathways(request: Request, principal: Principal) -> list[str]:
    """Award what the learner's wallet now completes; return the new credentials' ids."""
    made = pathways_of(request).award_completed(LearnerInput(email=principal.email))
    return [award.credential_id for award in made]
