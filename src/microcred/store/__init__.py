"""The store: where specifications and institutions are kept (SQLite by default, or PostgreSQL).

- ``database.Database``: engine, transactions, and the Alembic migrations shipped in
  ``migrations/`` (``Database(url).upgrade()``; no alembic.ini needed).
- ``base``: the declarative base and shared column types; ``catalogue_tables`` and the other
  ``*_tables`` modules: the SQLAlchemy tables, one feature a module; ``all_tables``: all of
  them on one metadata (what Alembic and the backup compare with).
- ``records``: the detached records handed to callers.
- ``institutions``, ``specifications``: reads and writes inside one session.
- ``search``, ``search_columns``: the SQL of a catalogue search and the columns it runs on.

A new migration: ``alembic.command.revision(Database(url).alembic_config(), message=...,
autogenerate=True)`` against a database at the current head, then review the script.
"""
