"""Alembic environment: runs the migrations on the connection ``Database.upgrade`` hands over."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from microcred.store.all_tables import metadata

config = context.config
target_metadata = metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Invoked from the alembic command line (e.g. to write a new revision).
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as fresh_connection:
        _run(fresh_connection)


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("microcred migrations run online only: use Database(url).upgrade()")
run_migrations_online()
