"""The migrations policy: a server starts only on the current schema, unless told to migrate.

Migrating is an operator's decision (``microcred db upgrade``, or ``serve --migrate`` /
``MICROCRED_AUTO_MIGRATE=true``): with several API processes, only one should run it, and a
backup may be due first.
"""

from __future__ import annotations

import logging

from microcred.store.database import Database, shipped_heads

log = logging.getLogger(__name__)


class SchemaOutOfDate(RuntimeError):
    """The database's schema is older (or newer) than this version of microcred needs."""


def head_revision() -> str:
    """Return the newest migration this version of microcred ships."""
    return ", ".join(sorted(shipped_heads()))


def ensure_current_schema(database: Database, migrate: bool) -> None:
    """Migrate an out-of-date schema when ``migrate`` says so; else raise `SchemaOutOfDate`
    naming the command that fixes it."""
    if database.is_current():
        return
    current = database.current_revision() or "empty"
    if migrate:
        log.info("migrating the database schema from %s to %s", current, head_revision())
        database.upgrade()
        return
    shown = database.url.render_as_string(hide_password=True)
    raise SchemaOutOfDate(
        f"the database {shown} has schema {current}, this microcred needs "
        f"{head_revision()}: run 'microcred db upgrade' first, or start with --migrate "
        "(MICROCRED_AUTO_MIGRATE=true) to migrate at start"
    )
