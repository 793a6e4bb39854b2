"""A learner's saved courses and pathways (a learner is any signed-in account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from microcred.store.database import Database
from microcred.store.finder_tables import SavedItemRow

Kind = Literal["course", "pathway"]
KINDS = ("course", "pathway")


@dataclass(frozen=True)
class SavedItem:
    kind: Kind
    ref: str  # a specification id, or a pathway (or stacking target) id
    title: dict[str, str]
    saved_at: datetime


class SavedItems:
    """Save, forget and list what learners keep an eye on."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, user_id: int, kind: Kind, ref: str, title: dict[str, str]) -> bool:
        """Save an item for the user; True when it was not saved before."""
        if kind not in KINDS:
            raise ValueError(f"'{kind}' cannot be saved: save a 'course' or a 'pathway'")
        with self.db.transaction() as session:
            exists = session.scalar(_one(user_id, kind, ref).with_only_columns(SavedItemRow.id))
            if exists is not None:
                return False
            session.add(SavedItemRow(user_id=user_id, kind=kind, ref=ref, title=dict(title)))
            return True

    def forget(self, user_id: int, kind: Kind, ref: str) -> bool:
        """Remove a saved item; True when there was one."""
        with self.db.transaction() as session:
            row = session.scalars(_one(user_id, kind, ref)).first()
            if row is None:
                return False
            session.delete(row)
            return True

    def saved(self, user_id: int, kind: Kind | None = None) -> list[SavedItem]:
        """Return the user's saved items, newest first."""
        statement = sa.select(SavedItemRow).where(SavedItemRow.user_id == user_id)
        if kind is not None:
            statement = statement.where(SavedItemRow.kind == kind)
        statement = statement.order_by(SavedItemRow.created_at.desc(), SavedItemRow.id.desc())
        with self.db.transaction(write=False) as session:
            return [
                SavedItem(row.kind, row.ref, row.title, row.created_at)  # type: ignore[arg-type]
                for row in session.scalars(statement)
            ]

    def is_saved(self, user_id: int, kind: Kind, ref: str) -> bool:
        with self.db.transaction(write=False) as session:
            return session.scalars(_one(user_id, kind, ref)).first() is not None


def _one(user_id: int, kind: str, ref: str) -> sa.Select[Any]:
    return sa.select(SavedItemRow).where(
        SavedItemRow.user_id == user_id, SavedItemRow.kind == kind, SavedItemRow.ref == ref
    )
