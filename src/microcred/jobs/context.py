"""The services a job runs with, built from the settings of the process that runs it."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.config import Settings
from microcred.services.app_awards import app_awards
from microcred.services.awards import Awards
from microcred.store.database import Database


@dataclass(frozen=True)
class JobContext:
    db: Database
    awards: Awards


def job_context(settings: Settings, database: Database | None = None) -> JobContext:
    """Return the services for jobs on ``settings``'s database (or the one given), with the
    application's ``on_issued`` hooks registered."""
    db = database or Database(settings.database_url.get_secret_value())
    return JobContext(db=db, awards=app_awards(db, settings))
