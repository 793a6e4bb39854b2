"""PostgreSQL schemas for tests: each test's database is a new schema, dropped afterwards."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import sqlalchemy as sa


def postgres_schema(server_url: str) -> Iterator[str]:
    """Yield a URL whose connections work inside a new, empty schema; drop it afterwards."""
    schema = f"mc_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    # A commit need not wait for the server's disk: the tests never crash the server itself.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = sa.make_url(server_url).update_query_dict({"options": options})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        drop_schema(admin, schema)
        admin.dispose()


def drop_schema(admin: sa.Engine, schema: str, attempts: int = 5) -> None:
    """Drop the schema; a background writer of the test's app (the analytics recorder, a job
    runner) may still be finishing a transaction in it, and a deadlock with it is retried."""
    for attempt in range(1, attempts + 1):
        try:
            with admin.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            return
        except sa.exc.OperationalError as error:
            if attempt == attempts or "deadlock detected" not in str(error.orig):
                raise
            time.sleep(0.2 * attempt)  # the other transaction ends once this one gave way
