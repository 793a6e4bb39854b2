"""The kinds of job there are, and the service function that does one chunk of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from microcred.services.awards import Awards
from microcred.services.bulk.actions import ChunkOutcome, award_rows, reissue_rows, revoke_rows
from microcred.services.bulk.ahead import AwardsAhead, awards_ahead
from microcred.services.bulk.awarding import PreparedAwards

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    # Work done inside the chunk's transaction: the chunk commits whole or not at all. It may
    # be given the chunk's work prepared ahead (see `ahead`).
    in_transaction: (
        Callable[[Awards, dict[str, Any], Rows, Session, PreparedAwards | None], ChunkOutcome]
        | None
    ) = None
    # Work that commits on its own and is safe to run again.
    on_its_own: Callable[[Awards, dict[str, Any], Rows], ChunkOutcome] | None = None
    # Prepares the next chunk while the current one is stored (None: nothing to prepare).
    ahead: Callable[[Awards, dict[str, Any]], AwardsAhead | None] | None = None
    # Rows per chunk when the job is created (MICROCRED_JOB_CHUNK_SIZE overrides it).
    chunk_size: int = 100


KINDS = {
    # Bigger chunks for awards: fewer commits and per-chunk queries, and index pages touched
    # by several rows of a chunk are written once.
    "bulk-award": JobKind(
        "bulk-award", in_transaction=award_rows, ahead=awards_ahead, chunk_size=500
    ),
    "bulk-revoke": JobKind("bulk-revoke", on_its_own=revoke_rows),
    "bulk-reissue": JobKind("bulk-reissue", on_its_own=reissue_rows),
}
