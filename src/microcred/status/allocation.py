"""Where a new credential's status entry goes: a random free index, never the next one.

Sequential indices would tell a verifier who was awarded just before and after a learner;
random ones reveal nothing. A few random draws find a free index quickly while the list is
mostly empty; when they keep hitting taken ones, the caller lists the free indices instead.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Iterator

RANDOM_DRAWS = 24


def random_indices(
    entries: int, draws: int = RANDOM_DRAWS, rng: random.Random | None = None
) -> Iterator[int]:
    """Yield ``draws`` random indices of a list of ``entries`` (possibly repeating)."""
    for _ in range(draws):
        yield rng.randrange(entries) if rng else secrets.randbelow(entries)


def free_index(
    entries: int, taken: Collection[int], rng: random.Random | None = None
) -> int | None:
    """Return a random index not in ``taken``, or None when the list is full."""
    taken_set = taken if isinstance(taken, set | frozenset) else set(taken)
    if len(taken_set) >= entries:
        return None
    free = [index for index in range(entries) if index not in taken_set]
    if not free:
        return None
    return rng.choice(free) if rng else free[secrets.randbelow(len(free))]
