"""Migrating an empty database once per test process, not once per test.

Nearly every test starts from an empty database brought to the newest schema, and running the
Alembic migrations costs about a second a time (twice that on PostgreSQL), most of the suite's
set-up. Here the first migration of each kind is run for real and kept: on SQLite the migrated
file, on PostgreSQL the statements the migrations sent (read-only queries left out), replayed
into the new schema. Later upgrades of an *empty* database to ``head`` get that copy; anything
else (another revision, a database holding tables, a test marked ``real_migrations``) runs the
migrations as written.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from microcred.store.database import Database

run_migrations = Database.upgrade

# One recorded statement: its SQL as the driver sees it, its parameters, and whether it ran
# once per parameter set (executemany).
Statement = tuple[str, Any, bool]


class MigrationTemplates:
    """The migrated schema of this process, by backend, and the upgrade that reuses it."""

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="microcred-migrated-"))
        self._sqlite_file: Path | None = None
        self._postgres_statements: list[Statement] | None = None
        self.copies = 0

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def upgrade(self, database: Database, revision: str = "head") -> None:
        """``Database.upgrade``, taking the kept copy when ``database`` is empty."""
        backend = database.url.get_backend_name()
        if revision != "head" or backend not in ("sqlite", "postgresql") or _holds_tables(database):
            run_migrations(database, revision)
        elif backend == "sqlite":
            self._copy_sqlite(database)
        else:
            self._replay_postgres(database)

    def _copy_sqlite(self, database: Database) -> None:
        target = Path(database.url.database or "")
        if not target.name or database.url.database == ":memory:":
            run_migrations(database)
            return
        if self._sqlite_file is None:
            template = self._folder / "migrated.db"
            migrated = Database(f"sqlite:///{template}")
            run_migrations(migrated)
            migrated.dispose()  # checkpoints the write-ahead log into the file
            self._sqlite_file = template
        database.engine.dispose()
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(self._sqlite_file, target)
        self.copies += 1

    def _replay_postgres(self, database: Database) -> None:
        if self._postgres_statements is None:
            self._postgres_statements = _record_postgres_migrations(database.url)
        with database.engine.begin() as connection:
            for statement, parameters, many in self._postgres_statements:
                if many:
                    connection.exec_driver_sql(statement, list(parameters))
                else:
                    connection.exec_driver_sql(statement, parameters)
        self.copies += 1


def _holds_tables(database: Database) -> bool:
    with database.engine.connect() as connection:
        return bool(sa.inspect(connection).get_table_names())


def _record_postgres_migrations(url: sa.URL) -> list[Statement]:
    """Run the migrations into a schema of their own and return what they changed, in order."""
    schema = f"mc_migrated_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.difference_update_query(["options"]))
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        migrated = Database(
            url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
                hide_password=False
            )
        )
        with _recorded(migrated.engine) as statements:
            run_migrations(migrated)
        migrated.dispose()
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    return statements


@contextmanager
def _recorded(engine: sa.Engine) -> Iterator[list[Statement]]:
    statements: list[Statement] = []

    def record(
        connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "SHOW")):
            statements.append((statement, parameters, many))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
