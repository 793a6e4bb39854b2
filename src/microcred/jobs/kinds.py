"""The kinds of job there are, and the service function that does one chunk of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from microcred.services.awards import Awards
from microcred.services.bulk.actions import ChunkOutcome, award_rows, reissue_rows, revoke_rows

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    # Work done inside the chunk's transaction: the chunk commits whole or not at all.
    in_transaction: Callable[[Awards, dict[str, Any], Rows, Session], ChunkOutcome] | None = None
    # Work that commits on its own and is safe to run again.
    on_its_own: Callable[[Awards, dict[str, Any], Rows], ChunkOutcome] | None = None


KINDS = {
    "bulk-award": JobKind("bulk-award", in_transaction=award_rows),
    "bulk-revoke": JobKind("bulk-revoke", on_its_own=revoke_rows),
    "bulk-reissue": JobKind("bulk-reissue", on_its_own=reissue_rows),
}
