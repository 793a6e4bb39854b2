"""Backup and restore: every table of the database in one portable file, checked on the way in.

A backup is a zip archive holding ``manifest.json`` and one JSON Lines file per table
(``tables/<name>.jsonl``, one row a line). The manifest names the schema revision, each table's
columns with how their values are written (``bytes`` as base64, ``datetime`` and ``date`` as
ISO 8601, ``uuid`` and ``decimal`` as text, ``json`` as is), its row count and the SHA-256 of
its file. The format does not depend on the database: a backup of SQLite restores into
PostgreSQL and back.

Issuer keys travel sealed, exactly as stored; the key-encryption key (KEK) is never in a
backup. Keep it apart (it is the one secret that opens the keys): without it a restored
instance verifies everything it issued but cannot sign anything new.

Restore refuses a database that holds any row, and checks every checksum before writing, so a
damaged or foreign file changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.dialects.postgresql import JSONB

from microcred import __version__
from microcred.services.audit import record_event
from microcred.store.all_tables import metadata
from microcred.store.base import UtcDateTime
from microcred.store.database import Database

FORMAT = "microcred-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SKIPPED_TABLES = {"alembic_version"}  # the revision is in the manifest instead
BATCH_ROWS = 500


class BackupError(ValueError):
    """A backup cannot be made or restored as asked; the message says what to do."""


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    sha256: str
    columns: dict[str, str]  # column name -> kind of value

    @property
    def file(self) -> str:
        return f"tables/{self.name}.jsonl"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, or what a restore wrote."""

    path: Path
    schema_revision: str
    tables: list[TableCopy]

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)


# --- kinds of values ---


def column_kind(column_type: sa.types.TypeEngine[Any]) -> str:
    """Return how values of a column of this type are written into a backup."""
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.LargeBinary):
        return "bytes"
    if isinstance(column_type, sa.DateTime):
        return "datetime"
    if isinstance(column_type, sa.Date):
        return "date"
    if isinstance(column_type, sa.JSON):
        return "json"
    if isinstance(column_type, sa.Uuid):
        return "uuid"
    if isinstance(column_type, sa.Numeric) and not isinstance(column_type, sa.Float):
        return "decimal"
    return "plain"


def encode_value(kind: str, value: Any) -> Any:
    if value is None or kind in ("plain", "json"):
        return value
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if kind == "datetime":
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value) if kind in ("uuid", "decimal") else value.isoformat()


def decode_value(kind: str, value: Any) -> Any:
    if value is None or kind in ("plain", "json", "uuid"):
        return value
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "datetime":
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    raise BackupError(f"the backup names an unknown kind of value {kind!r}")


def _restore_type(kind: str) -> sa.types.TypeEngine[Any] | None:
    """Return the column type that writes a decoded value of ``kind`` into either database."""
    if kind == "json":
        # A SQL NULL stays NULL (not the JSON value null) so that `IS NULL` still finds it.
        return sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
    types: dict[str, sa.types.TypeEngine[Any]] = {
        "bytes": sa.LargeBinary(),
        "datetime": UtcDateTime(),
        "date": sa.Date(),
        "uuid": sa.Uuid(as_uuid=False),
        "decimal": sa.Numeric(),
    }
    return types.get(kind)


# --- backup ---


def backup(database: Database, path: Path) -> BackupSummary:
    """Write every table of ``database`` to the zip archive ``path``; return what it holds."""
    if not database.is_current():
        raise BackupError("the database is not up to date; run 'microcred db upgrade' first")
    revision = database.current_revision() or ""
    tables = typed_tables(database.engine)
    copies: list[TableCopy] = []
    with (
        _private_file(path) as target,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        with database.engine.connect() as connection:
            for table in tables:
                copies.append(_write_table(archive, connection, table.name, list(table.columns)))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "microcred_version": __version__,
            "schema_revision": revision,
            "source_database": database.engine.dialect.name,
            "kek_included": False,
            "tables": [
                {
                    "name": c.name,
                    "file": c.file,
                    "rows": c.rows,
                    "sha256": c.sha256,
                    "columns": c.columns,
                }
                for c in copies
            ],
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return BackupSummary(path, revision, copies)


def _private_file(path: Path) -> BinaryIO:
    """Return ``path`` opened for writing, readable by its owner only (0600).

    A backup holds personal data, password hashes and sealed keys; an existing file keeps no
    wider mode than that either.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def typed_tables(engine: sa.Engine) -> list[sa.Table]:
    """Return every table in the database (dependencies first), typed by our models if known.

    A reflected SQLite table reads UUIDs as bare hex and JSON as text; our models read them as
    the application writes them, so both databases give the same values.
    """
    reflected = sa.MetaData()
    reflected.reflect(engine)
    tables = []
    for table in reflected.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        model = metadata.tables.get(table.name)
        fits = model is not None and all(c.name in table.columns for c in model.columns)
        tables.append(model if model is not None and fits else table)
    return tables


def _write_table(
    archive: zipfile.ZipFile, connection: sa.Connection, name: str, columns: list[sa.Column[Any]]
) -> TableCopy:
    kinds = {column.name: column_kind(column.type) for column in columns}
    digest, rows = hashlib.sha256(), 0
    order = [column for column in columns if column.primary_key] or columns
    with archive.open(f"tables/{name}.jsonl", "w") as member:
        for row in connection.execute(sa.select(*columns).order_by(*order)).mappings():
            record = {column: encode_value(kind, row[column]) for column, kind in kinds.items()}
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
            data = line.encode("utf-8")
            digest.update(data)
            member.write(data)
            rows += 1
    return TableCopy(name, rows, digest.hexdigest(), kinds)


# --- restore ---


def read_manifest(path: Path) -> BackupSummary:
    """Return what the backup at ``path`` holds, once every file matches its checksum."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive, path)
            tables = [_checked_table(archive, entry) for entry in manifest["tables"]]
    except zipfile.BadZipFile:
        raise BackupError(f"{path} is not a microcred backup (not a zip archive)") from None
    return BackupSummary(path, str(manifest["schema_revision"]), tables)


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, json.JSONDecodeError):
        raise BackupError(f"{path} is not a microcred backup (no readable {MANIFEST})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a microcred backup (its manifest names no {FORMAT})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is backup format {manifest.get('format_version')!r}; this version of "
            f"microcred reads format {FORMAT_VERSION}"
        )
    return manifest


def _checked_table(archive: zipfile.ZipFile, entry: dict[str, Any]) -> TableCopy:
    table = TableCopy(entry["name"], entry["rows"], entry["sha256"], entry["columns"])
    digest, rows = hashlib.sha256(), 0
    try:
        with archive.open(table.file) as member:
            for line in member:
                digest.update(line)
                rows += 1
    except KeyError:
        raise BackupError(f"the backup lacks {table.file}, which its manifest lists") from None
    if digest.hexdigest() != table.sha256 or rows != table.rows:
        raise BackupError(
            f"{table.file} does not match its checksum in the manifest: the backup is damaged"
        )
    return table


def restore(database: Database, path: Path, *, actor: str = "microcred restore") -> BackupSummary:
    """Load the backup at ``path`` into the empty ``database``; return what was restored.

    Raises `BackupError` (and writes nothing) when the file is damaged or foreign, its schema
    revision is unknown to this version, or the database already holds data.
    """
    summary = read_manifest(path)
    scripts = ScriptDirectory.from_config(database.alembic_config())
    if summary.schema_revision not in {r.revision for r in scripts.walk_revisions()}:
        raise BackupError(
            f"the backup is of schema revision {summary.schema_revision!r}, which this version "
            "of microcred does not know; restore it with the version that made it"
        )
    _refuse_non_empty(database)
    database.upgrade(summary.schema_revision)
    with zipfile.ZipFile(path) as archive, database.engine.begin() as connection:
        present = set(sa.inspect(connection).get_table_names())
        for table in _in_dependency_order(summary.tables, connection):
            if table.name not in present:
                raise BackupError(f"table {table.name!r} of the backup is not in the schema")
            _load_table(connection, table, _lines(archive, table))
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection)
    database.upgrade()
    with database.transaction() as session:
        record_event(
            session,
            actor=actor,
            action="database.restored",
            target=f"backup:{summary.schema_revision}",
            reason="restored from a backup",
            details={"tables": len(summary.tables), "rows": summary.rows},
        )
    return summary


def _refuse_non_empty(database: Database) -> None:
    with database.engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
        for name in sorted(set(names) - SKIPPED_TABLES):
            table = sa.table(name)
            if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                raise BackupError(
                    f"the database {database!r} is not empty (table {name!r} holds rows); "
                    "restore only into an empty database"
                )


def _in_dependency_order(tables: list[TableCopy], connection: sa.Connection) -> list[TableCopy]:
    schema = sa.MetaData()
    schema.reflect(connection)
    order = {table.name: position for position, table in enumerate(schema.sorted_tables)}
    return sorted(tables, key=lambda table: order.get(table.name, len(order)))


def _lines(archive: zipfile.ZipFile, table: TableCopy) -> Iterator[dict[str, Any]]:
    with archive.open(table.file) as member:
        for line in io.TextIOWrapper(member, encoding="utf-8"):
            yield json.loads(line)


def _load_table(
    connection: sa.Connection, table: TableCopy, records: Iterable[dict[str, Any]]
) -> None:
    target = sa.table(
        table.name, *[sa.column(name, _restore_type(kind)) for name, kind in table.columns.items()]
    )
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append({name: decode_value(table.columns[name], v) for name, v in record.items()})
        if len(batch) >= BATCH_ROWS:
            connection.execute(sa.insert(target), batch)
            batch = []
    if batch:
        connection.execute(sa.insert(target), batch)


def _advance_sequences(connection: sa.Connection) -> None:
    """Move each serial column's sequence past the restored ids, so new rows get fresh ones."""
    for name in sa.inspect(connection).get_table_names():
        for column in sa.inspect(connection).get_columns(name):
            sequence = connection.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": name, "column": column["name"]},
            ).scalar()
            if sequence:
                quoted = connection.dialect.identifier_preparer.quote
                connection.execute(
                    sa.text(
                        f"SELECT setval(:sequence, COALESCE(MAX({quoted(column['name'])}), 0) + 1,"
                        f" false) FROM {quoted(name)}"
                    ),
                    {"sequence": sequence},
                )
