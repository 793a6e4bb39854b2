"""Hooks owed to awards: recorded with the award, run after the commit, run again after a crash.

The contract (jobs/HOOKS.md says it for hook authors):

- When an award is stored, one `AwardHookRow` per hook registered on `Awards.on_issued` is
  written in the same transaction: the award cannot exist without the hooks it is owed.
- After the commit a process *claims* the owed rows (a lease of ``LEASE``), calls each hook,
  and marks it done. A hook that raises is tried again (``tries``), then left owed with its
  error; the claim is released so the next resume tries it again.
- A job resumed after a crash first runs the hooks its committed chunks still owe; the app
  runs every owed hook when it starts. So a hook is never lost.
- Two processes never run one hook for one award at once (the claim). A hook may run a second
  time only if its process died after the hook finished and before "done" was written; a hook
  whose effect must not happen twice (an e-mail) checks its own record first (delivery:
  ``credential_claims.emailed_at``).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.store.awards_tables import AwardHookRow
from microcred.store.base import utc_now
from microcred.store.database import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
_HOOKS = cast(sa.Table, AwardHookRow.__table__)
Hook = Callable[[Any], None]


def hook_name(hook: Hook) -> str:
    """Return the stable name a hook is recorded under: its module and qualified name."""
    module = getattr(hook, "__module__", None) or type(hook).__module__
    qualname = getattr(hook, "__qualname__", None) or type(hook).__qualname__
    return f"{module}.{qualname}"[:200]


def owe_hooks(session: Session, award_id: str, job_id: str | None, hooks: Iterable[Hook]) -> None:
    """Record, in the award's transaction, that each hook is owed to the award."""
    now = utc_now()
    for name in dict.fromkeys(hook_name(hook) for hook in hooks):
        session.add(
            AwardHookRow(award_id=award_id, hook=name, job_id=job_id, created_at=now, tries=0)
        )


def owe_hooks_many(
    session: Session, award_ids: list[str], job_id: str | None, hooks: Iterable[Hook]
) -> None:
    """Record, in the awards' transaction, that each hook is owed to each award (one INSERT)."""
    now = utc_now()
    names = list(dict.fromkeys(hook_name(hook) for hook in hooks))
    rows = [
        {"award_id": award_id, "hook": name, "job_id": job_id, "created_at": now, "tries": 0}
        for award_id in award_ids
        for name in names
    ]
    if rows:
        session.connection().execute(sa.insert(_HOOKS), rows)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_owed(
    db: Database,
    names: Iterable[str],
    *,
    award_ids: list[str] | None = None,
    job_id: str | None = None,
) -> list[tuple[str, str]]:
    """Claim the owed hooks nobody is running (of some awards, of a job, or all); return
    (award id, hook name) pairs, oldest first."""
    names = list(names)
    if not names or award_ids == []:
        return []
    now = utc_now()
    statement = sa.update(AwardHookRow).where(
        AwardHookRow.hook.in_(names),
        AwardHookRow.done_at.is_(None),
        sa.or_(AwardHookRow.claimed_at.is_(None), AwardHookRow.claimed_at < now - LEASE),
    )
    if award_ids is not None:
        statement = statement.where(AwardHookRow.award_id.in_(award_ids))
    if job_id is not None:
        statement = statement.where(AwardHookRow.job_id == job_id)
    statement = statement.values(claimed_by=_holder(), claimed_at=now).returning(
        AwardHookRow.award_id, AwardHookRow.hook, AwardHookRow.created_at
    )
    with db.transaction() as session:
        rows = session.execute(statement).all()
    return [(award_id, hook) for award_id, hook, _ in sorted(rows, key=lambda row: row[2])]


def finish(db: Database, award_id: str, hook: str, tries: int, error: str | None) -> None:
    """Record the outcome of running a claimed hook: done, or owed again with its error."""
    values: dict[str, Any] = {"tries": AwardHookRow.tries + tries, "error": error}
    if error is None:
        values["done_at"] = utc_now()
    else:
        values.update(claimed_by=None, claimed_at=None)
    with db.transaction() as session:
        session.execute(
            sa.update(AwardHookRow)
            .where(AwardHookRow.award_id == award_id, AwardHookRow.hook == hook)
            .values(**values)
        )


def finish_many(db: Database, ran: list[tuple[str, str, int]]) -> None:
    """Record hooks that ran well, as (award id, hook, tries), in one transaction: one UPDATE
    per hook and number of tries (most awards share both), 500 awards at a time."""
    if not ran:
        return
    now = utc_now()
    groups: dict[tuple[str, int], list[str]] = {}
    for award_id, hook, tries in ran:
        groups.setdefault((hook, tries), []).append(award_id)
    with db.transaction() as session:
        for (hook, tries), award_ids in groups.items():
            for start in range(0, len(award_ids), 500):
                session.execute(
                    sa.update(_HOOKS)
                    .where(
                        _HOOKS.c.hook == hook,
                        _HOOKS.c.award_id.in_(award_ids[start : start + 500]),
                    )
                    .values(tries=_HOOKS.c.tries + tries, error=None, done_at=now)
                )


def awards_needing(hook: Hook, awards: list[Any]) -> set[str]:
    """Return the ids of the awards ``hook`` has work for.

    A hook that is a method may have a companion method named ``<name>_needed`` on the same
    object, taking a list of awards and returning the ids of those it has work for, in a few
    queries for the whole list (see jobs/HOOKS.md); for the others the hook counts as done
    without being called. Without a companion every award needs the hook.
    """
    owner = getattr(hook, "__self__", None)
    needed = getattr(owner, f"{getattr(hook, '__name__', '')}_needed", None)
    if owner is None or not callable(needed):
        return {award.id for award in awards}
    try:
        return set(needed(awards))
    except Exception:  # noqa: BLE001 - then every award gets the hook itself, as without one
        log.exception("%s_needed failed; calling the hook for every award", hook_name(hook))
        return {award.id for award in awards}


def call_with_tries(hook: Hook, award: Any, tries: int) -> tuple[int, str | None]:
    """Call ``hook(award)`` up to ``tries`` times; return the tries made and the last error."""
    error: str | None = None
    for attempt in range(1, tries + 1):
        try:
            hook(award)
            return attempt, None
        except Exception as failure:  # noqa: BLE001 - a hook never undoes the award
            error = f"{type(failure).__name__}: {failure}"
            log.exception(
                "on_issued hook %s failed for award %s (try %d)",
                hook_name(hook),
                getattr(award, "id", award),
                attempt,
            )
    return tries, error


def owed_count(db: Database, job_id: str | None = None) -> int:
    """Return how many hooks are owed (to a job's awards, or to all)."""
    statement = sa.select(sa.func.count()).where(AwardHookRow.done_at.is_(None))
    if job_id is not None:
        statement = statement.where(AwardHookRow.job_id == job_id)
    with db.transaction(write=False) as session:
        return int(session.scalar(statement) or 0)
