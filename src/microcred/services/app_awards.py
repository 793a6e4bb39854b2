"""The awards service as the application runs it: one place that builds it with its hooks.

The web app, the CLI, the in-process runner and Celery workers all get their `Awards` from
`app_awards`, so every award, however it is made, runs the same ``on_issued`` hooks. A new
hook (delivery's claim e-mail, say) is added in `app_hooks` and nowhere else.
"""

from __future__ import annotations

from microcred.config import Settings
from microcred.services.awards import Awards, OnIssued
from microcred.services.catalogue import Catalogue
from microcred.services.delivery.mailing import ClaimMailer
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.pathways import app_pathways
from microcred.store.database import Database


def app_hooks(awards: Awards) -> list[OnIssued]:
    """Return the hooks every award runs after it commits (see services/award_hooks.py)."""
    issuer = awards.issuer
    return [
        ClaimMailer(issuer.catalogue, issuer.status, awards.settings).on_issued,
        app_pathways(awards).on_issued,  # a new credential may complete a pathway
    ]


def app_awards(db: Database, settings: Settings, issuer: CredentialIssuer | None = None) -> Awards:
    """Return the awards service on ``db`` with the application's hooks registered."""
    if issuer is None:
        issuer = CredentialIssuer(Catalogue(db), IssuerKeys(db, settings), settings)
    awards = Awards(db, issuer, settings)
    for hook in app_hooks(awards):
        awards.register(hook)
    return awards
