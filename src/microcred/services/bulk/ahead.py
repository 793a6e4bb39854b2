"""A bulk award's chunks prepared one ahead: the pool signs the next chunk while the job's
process stores the current one.

Storing a chunk (claims, INSERTs, the commit) and running its hooks is the job's process's
work; signing is the pool's. Done one after the other, the pool waits while the job's process
stores, and the other way round. Prepared ahead (`awarding.prepare_awards`: rows checked,
status entries drawn in memory, signing handed to the pool), the next chunk is being signed
whenever the job's process is busy. Preparing writes nothing: a prepared chunk that is not
used (its transaction was retried, another process took it) is dropped and prepared again.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from microcred.services.awards import Awards
from microcred.services.bulk.actions import award_requests
from microcred.services.bulk.awarding import PreparedAwards, prepare_awards
from microcred.services.bulk.signing import SigningPool, shared_pool
from microcred.services.issuing import IssuingError
from microcred.services.status_entries import DrawsAhead

log = logging.getLogger(__name__)


class AwardsAhead:
    """The prepared chunks of one bulk award job, by chunk number."""

    def __init__(self, awards: Awards, payload: dict[str, Any], pool: SigningPool) -> None:
        self.awards = awards
        self.payload = payload
        self.pool = pool
        self._prepared: dict[int, PreparedAwards] = {}
        self._draws: dict[str, DrawsAhead] = {}

    def prepare(self, session: Session, number: int, rows: list[dict[str, Any]]) -> None:
        """Start the work of chunk ``number`` unless it is started already."""
        if number in self._prepared:
            return
        try:
            record = self.awards.issuable(self.payload["spec_id"], self.payload["version"])
            self._prepared[number] = prepare_awards(
                self.awards,
                session,
                record,
                award_requests(rows),
                self._draws,
                institution=self.payload["institution"],
                pool=self.pool,
            )
        except IssuingError:
            log.debug("chunk %d not prepared: it is awarded (and refused) in its turn", number)

    def take(self, number: int) -> PreparedAwards | None:
        """Return the prepared work of chunk ``number`` (once), dropping any before it."""
        for older in [n for n in self._prepared if n < number]:
            del self._prepared[older]
        return self._prepared.pop(number, None)

    def forget(self) -> None:
        """Drop everything prepared and drawn: after a failed chunk, nothing is assumed."""
        self._prepared.clear()
        self._draws.clear()


def awards_ahead(awards: Awards, payload: dict[str, Any]) -> AwardsAhead | None:
    """Return the chunk preparer of a bulk award job, or None when there is no signing pool
    (the chunks are then signed in the job's own process, in their turn)."""
    pool = shared_pool()
    return AwardsAhead(awards, payload, pool) if pool is not None else None
