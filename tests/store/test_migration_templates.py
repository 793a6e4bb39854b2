"""The suite's copy of a migrated database (tests/migration_templates.py) is what the migrations
themselves give: same tables, columns, indexes, constraints, rows and revision."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from microcred.store.database import Database
from migration_templates import MigrationTemplates, run_migrations
from schemas import postgres_schema


def _described(database: Database) -> dict[str, Any]:
    """Everything about the schema and its rows, in a comparable form."""
    with database.engine.connect() as connection:
        inspector = sa.inspect(connection)
        described: dict[str, Any] = {}
        for table in sorted(inspector.get_table_names()):
            described[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                    for c in inspector.get_columns(table)
                ],
                "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign keys": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in inspector.get_foreign_keys(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
                "unique": sorted(
                    str(u["column_names"]) for u in inspector.get_unique_constraints(table)
                ),
                "rows": sorted(
                    repr(tuple(row))
                    for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))
                ),
            }
        return described


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_copied_migration_is_the_migration(backend: str, tmp_path: Any, request: Any) -> None:
    templates = MigrationTemplates()
    urls: list[str] = []
    schemas = []
    try:
        for name in ("real", "first copy", "second copy"):
            if backend == "sqlite":
                urls.append(f"sqlite:///{tmp_path / name.replace(' ', '-')}.db")
            else:
                schema = postgres_schema(request.getfixturevalue("postgres_url"))
                schemas.append(schema)
                urls.append(next(schema))
        real, first, second = (Database(url) for url in urls)
        run_migrations(real)
        templates.upgrade(first)  # the first one migrates for real and keeps the result
        templates.upgrade(second)  # the second one is a copy
        assert templates.copies == 2
        assert second.is_current()
        assert _described(second) == _described(real) == _described(first)
        assert _described(real)  # the comparison compared something
        for database in (real, first, second):
            database.dispose()
    finally:
        for schema in schemas:
            schema.close()
        templates.close()


def test_a_database_holding_tables_is_migrated_for_real(tmp_path: Any) -> None:
    templates = MigrationTemplates()
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        run_migrations(database, "base")
        with database.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE kept (id INTEGER PRIMARY KEY)")
            connection.exec_driver_sql("INSERT INTO kept VALUES (7)")
        templates.upgrade(database)
        assert templates.copies == 0
        assert database.is_current()
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT id FROM kept").scalar_one() == 7
    finally:
        database.dispose()
        templates.close()
