"""Shared fixtures: a fresh, migrated database on SQLite and on PostgreSQL, and its catalogue.

- ``database``: a migrated ``Database``; tests using it run twice, on a temporary SQLite file and
  on the PostgreSQL server (``MICROCRED_TEST_PG_URL``, default below), each time in a schema
  of their own that is dropped afterwards. An unreachable server fails the PostgreSQL run.
- ``catalogue``: the ``Catalogue`` service on that database.
- ``postgres_url``: the server's URL, checked reachable; ``fresh_database_url``: an empty
  database (SQLite file or PostgreSQL schema), not yet migrated.

The Hypothesis profile of the run is loaded here (property_profiles.py), and every test that
uses Chromium or PostgreSQL is marked ``browser`` or ``postgres`` whether or not its module says
so, so ``make test-fast`` (``-m "not browser and not postgres ..."``) leaves all of them out.
The suite runs in pytest-xdist workers: nothing here binds a fixed port or writes a fixed path.

Fixtures for one area of the code live in that area's own ``conftest.py``.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import property_profiles
from chromium import artifacts, browser, page  # noqa: F401  (fixtures for browser tests)
from microcred.services.catalogue import Catalogue
from microcred.store.database import Database
from waiting import scaled, slowdown

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARK_BY_FIXTURE = {"browser": "browser", "page": "browser", "postgres_url": "postgres"}

property_profiles.load()


@pytest.hookimpl(trylast=True)  # after pytest-timeout has read its settings
def pytest_configure(config: pytest.Config) -> None:
    """Scale the suite's per-test time limit by MICROCRED_TEST_SLOWDOWN."""
    if getattr(config, "_env_timeout", None):
        config._env_timeout = scaled(config._env_timeout)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses: Chromium is ``browser``, PostgreSQL ``postgres``;
    scale a test's own time limit by MICROCRED_TEST_SLOWDOWN."""
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            mark = MARK_BY_FIXTURE.get(fixture)
            if mark and not item.get_closest_marker(mark):
                item.add_marker(mark)
        limit = item.get_closest_marker("timeout")
        if limit and limit.args and slowdown() > 1:
            item.add_marker(pytest.mark.timeout(scaled(limit.args[0])), append=False)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("MICROCRED_TEST_PG_URL", DEFAULT_PG_URL)
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {url} ({error.orig}). Start it with "
            "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start', "
            "or point MICROCRED_TEST_PG_URL at a server that accepts connections.",
            pytrace=False,
        )
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'microcred.db'}"
        return
    server_url = request.getfixturevalue("postgres_url")
    yield from _postgres_schema(server_url)


def _postgres_schema(server_url: str) -> Iterator[str]:
    """Yield a URL whose connections work inside a new, empty schema; drop it afterwards."""
    schema = f"mc_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _drop_schema(admin, schema)
        admin.dispose()


def _drop_schema(admin: sa.Engine, schema: str, attempts: int = 5) -> None:
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


@pytest.fixture
def database(fresh_database_url: str) -> Iterator[Database]:
    db = Database(fresh_database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def catalogue(database: Database) -> Catalogue:
    return Catalogue(database)


@pytest.fixture
def private_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let outbound fetches reach loopback test servers (over plain http too), as an operator
    would for an intranet: MICROCRED_FETCH_ALLOW_PRIVATE=true for this test only."""
    monkeypatch.setenv("MICROCRED_FETCH_ALLOW_PRIVATE", "true")
