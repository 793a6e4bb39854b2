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
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

import migration_templates
import property_profiles
from chromium import artifacts, browser, page  # noqa: F401  (fixtures for browser tests)
from isolation import isolate_environment
from microcred.services import passwords
from microcred.services.catalogue import Catalogue
from microcred.store.database import Database
from migration_templates import MigrationTemplates
from schemas import postgres_schema
from waiting import scaled, slowdown

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PRODUCTION_HASHER = passwords._hasher
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
MARK_BY_FIXTURE = {"browser": "browser", "page": "browser", "postgres_url": "postgres"}

isolate_environment()
property_profiles.load()


@pytest.fixture(autouse=True)
def _environment_restored() -> Iterator[None]:
    """Each test leaves the process environment as it found it: a command a test runs in
    process (``microcred --config F``, ``--db URL`` hand settings to the processes they start
    through ``os.environ``) must not become the next test's settings."""
    saved = dict(os.environ)
    yield
    if os.environ != saved:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session", autouse=True)
def migrated_once() -> Iterator[MigrationTemplates]:
    """Upgrades of empty databases in this process take a copy of the first one's result
    (migration_templates.py); a test marked ``real_migrations`` runs the migrations itself."""
    templates = MigrationTemplates()

    def upgrade(database: Database, revision: str = "head") -> None:
        templates.upgrade(database, revision)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Database, "upgrade", upgrade)
        yield templates
    templates.close()


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """Passwords set by tests are hashed with argon2id at its smallest cost: the production cost
    (RFC 9106 low-memory, about 0.1-0.3 s a hash) would be most of many tests' time, and a hash
    records its own cost, so checking it is unchanged. A test marked
    ``real_password_hashing`` hashes at the production cost."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", QUICK_HASHER)
        yield


@pytest.fixture(autouse=True)
def _production_costs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the two shortcuts above for a test marked as needing the real thing."""
    if request.node.get_closest_marker("real_migrations"):
        monkeypatch.setattr(Database, "upgrade", migration_templates.run_migrations)
    if request.node.get_closest_marker("real_password_hashing"):
        monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)


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
    yield from postgres_schema(server_url)


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
