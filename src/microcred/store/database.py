"""The database: an SQLAlchemy engine, its sessions, and the Alembic migrations that shape it.

SQLite (a file, created on demand) is the default; a ``postgresql+psycopg://`` URL selects
PostgreSQL. The migration scripts ship inside the package, so upgrading needs no alembic.ini.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session, sessionmaker

from microcred.config import current_settings

# Every table on the metadata before a session runs: a foreign key or relationship naming a table
# of another module resolves whichever table modules the caller happened to import.
from microcred.store import all_tables as all_tables

MIGRATIONS = Path(__file__).parent / "migrations"


class Database:
    """One database reached by URL: hands out sessions and runs the migrations."""

    def __init__(self, url: str | None = None) -> None:
        self.url = sa.make_url(url or current_settings().database_url.get_secret_value())
        self.engine = _create_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writing_sessions = sessionmaker(
            self.engine.execution_options(microcred_write=True), expire_on_commit=False
        )

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Session]:
        """Yield a session inside one transaction: committed on success, rolled back on error.

        Pass ``write=False`` for a transaction that only reads: on SQLite it then does not wait
        for, or hold up, writers.
        """
        sessions = self._writing_sessions if write else self._sessions
        with sessions() as session, session.begin():
            yield session

    def alembic_config(self) -> Config:
        """Return an Alembic configuration pointing at the packaged migration scripts."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        # configparser treats "%" as interpolation; URLs may hold percent-escapes.
        url = self.url.render_as_string(hide_password=False).replace("%", "%%")
        config.set_main_option("sqlalchemy.url", url)
        return config

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema up to ``revision`` (the newest by default)."""
        config = self.alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def is_current(self) -> bool:
        """True when every migration shipped with this version of microcred has been applied."""
        with self.engine.connect() as connection:
            applied = set(MigrationContext.configure(connection).get_current_heads())
        return applied == shipped_heads()

    def dispose(self) -> None:
        self.engine.dispose()


@functools.cache
def shipped_heads() -> frozenset[str]:
    """The newest migrations this version of microcred ships: read from the scripts once per
    process (parsing them costs tens of milliseconds, and they cannot change while it runs)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _create_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    sa.event.listen(engine, "connect", _configure_sqlite_connection)
    sa.event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module opens transactions on its own and lets DDL escape them; switching that
    # off and emitting BEGIN ourselves (below) makes every write, migrations included, atomic.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    # Up to 32 MiB of pages kept per connection (the default is 2 MiB): a bulk job's inserts
    # land on random pages of its indexes, read again from the file when not cached.
    cursor.execute("PRAGMA cache_size = -32768")
    cursor.close()


def _begin_sqlite_transaction(connection: sa.Connection) -> None:
    # A writer takes the write lock up front: a deferred transaction that reads and then writes
    # fails with "database is locked" when another writer committed in between.
    if connection.get_execution_options().get("microcred_write"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
