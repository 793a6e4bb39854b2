"""What the database itself guarantees: atomic transactions, one draft, known statuses, UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from microcred.domain.specification import Specification
from microcred.store.catalogue_tables import (
    InstitutionRow,
    SpecificationRow,
    SpecificationVersionRow,
)
from microcred.store.database import Database
from microcred.store.specifications import write_document


class Interrupted(Exception):
    pass


def _institution() -> InstitutionRow:
    return InstitutionRow(slug="uni-test", name={"en": "Test University"}, country=None)


def _version(family: SpecificationRow, version: int, status: str) -> SpecificationVersionRow:
    return SpecificationVersionRow(
        specification=family, version=version, status=status, document={}, isced_codes="", modes=""
    )


def _count(db: Database, table: type) -> int:
    with db.transaction() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(table)) or 0


def test_a_transaction_interrupted_half_way_leaves_no_rows(database: Database) -> None:
    with pytest.raises(Interrupted), database.transaction() as session:
        family = SpecificationRow(institution=_institution())
        session.add(_version(family, 1, "draft"))
        session.flush()
        raise Interrupted
    assert _count(database, InstitutionRow) == 0
    assert _count(database, SpecificationRow) == 0
    assert _count(database, SpecificationVersionRow) == 0


def test_database_refuses_a_second_draft_of_one_specification(database: Database) -> None:
    with database.transaction() as session:
        family = SpecificationRow(institution=_institution())
        session.add(_version(family, 1, "draft"))
        session.flush()
        family_id = family.id
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as session:
        family = session.get_one(SpecificationRow, family_id)
        session.add(_version(family, 2, "draft"))
        session.flush()
    assert _count(database, SpecificationVersionRow) == 1


def test_database_refuses_an_unknown_status(database: Database) -> None:
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as session:
        family = SpecificationRow(institution=_institution())
        session.add(_version(family, 1, "superseded"))
        session.flush()


def test_database_refuses_a_version_of_a_missing_institution(database: Database) -> None:
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as session:
        session.add(SpecificationRow(institution_id=999))
        session.flush()


def test_timestamps_read_back_as_aware_utc(database: Database) -> None:
    written = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    with database.transaction() as session:
        row = _institution()
        row.created_at = written
        session.add(row)
    with database.transaction() as session:
        read = session.scalars(sa.select(InstitutionRow)).one().created_at
    assert read == written
    assert read.utcoffset() is not None and read.utcoffset().total_seconds() == 0


def test_naive_timestamps_are_refused(database: Database) -> None:
    with pytest.raises(sa.exc.StatementError, match="time zone"), database.transaction() as s:
        row = _institution()
        row.created_at = datetime(2025, 3, 1, 12, 30)
        s.add(row)
        s.flush()


def test_the_document_of_a_published_version_cannot_be_rewritten(database: Database) -> None:
    with database.transaction() as session:
        session.add(_version(SpecificationRow(institution=_institution()), 1, "published"))
    with database.transaction() as session:
        row = session.scalars(sa.select(SpecificationVersionRow)).one()
        with pytest.raises(ValueError, match="version 1 is published and can no longer change"):
            write_document(row, Specification(title={"en": "Changed"}), datetime.now(UTC))
    with database.transaction(write=False) as session:
        assert session.scalars(sa.select(SpecificationVersionRow)).one().document == {}


def test_all_tables_registers_every_table_module_of_the_store() -> None:
    """A new ``*_tables`` module left out of all_tables would be missing from migrations."""
    import microcred.store
    from microcred.store import all_tables

    folder = Path(microcred.store.__file__).parent
    on_disk = {path.stem for path in folder.glob("*_tables.py")} - {"all_tables"}
    registered = {module.__name__.rsplit(".", 1)[1] for module in all_tables.TABLE_MODULES}
    assert on_disk == registered
    assert {"institutions", "issued_credentials", "users"} <= set(all_tables.metadata.tables)
