"""The services a job runs with, built from the settings of the process that runs it."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.config import Settings
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.store.database import Database


@dataclass(frozen=True)
class JobContext:
    db: Database
    awards: Awards


def job_context(settings: Settings, database: Database | None = None) -> JobContext:
    """Return the services for jobs on ``settings``'s database (or the one given)."""
    db = database or Database(settings.database_url)
    keys = IssuerKeys(db, settings)
    issuer = CredentialIssuer(Catalogue(db), keys, settings)
    return JobContext(db=db, awards=Awards(db, issuer, settings))
