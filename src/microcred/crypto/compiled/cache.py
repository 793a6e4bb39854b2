"""The shape cache: compiled plans by document shape, bounded, and cheap to attack.

A verifier cannot choose what it receives, so the cache must not become the weak point:
- it holds at most `max_shapes` shapes and about `max_bytes` of plans, least recently used
  going first, and at most `MAX_VARIANTS` plans per shape (one per set of fixed values);
- a shape is compiled only once it has been seen `compile_after` times, and compiling spends
  credit that only documents served by a plan earn back, so a stream of never-repeating shapes
  costs the reference path plus one walk over each document and nothing more;
- every new plan must reproduce the reference output of the document that triggered it (unless
  it hands that document back to the reference path), or it is thrown away.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from microcred.crypto.compiled.plan import NotCompilable, Plan, compile_plan
from microcred.crypto.compiled.shape import NoShape, Shape, read_shape
from microcred.formats.jsonld.rdf_terms import Quad

MAX_VARIANTS = 4
_INITIAL_CREDIT = 32.0
_CREDIT_PER_HIT = 1 / 16
_MAX_CREDIT = 64.0


class _Entry:
    __slots__ = ("plans", "failures")

    def __init__(self) -> None:
        self.plans: list[Plan] = []
        self.failures = 0


class ShapeCache:
    """Canonical N-Quads of JSON-LD documents, through a compiled plan when one serves."""

    def __init__(
        self,
        reference_quads: Callable[[Any], list[Quad]],
        reference_nquads: Callable[[Any], str],
        *,
        max_shapes: int = 512,
        max_bytes: int = 64 * 1024 * 1024,
        compile_after: int = 2,
        generation: Callable[[], int] = lambda: 0,
    ) -> None:
        # Plans are keyed by shape, and a shape names its contexts by URL: when a URL may
        # resolve differently (`generation` moved), every plan is forgotten.
        self._generation = generation
        self._seen_generation = generation()
        self._reference_quads = reference_quads
        self._reference_nquads = reference_nquads
        self.max_shapes = max_shapes
        self.max_bytes = max_bytes
        self.compile_after = compile_after
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._sightings: OrderedDict[int, int] = OrderedDict()
        self._bytes = 0
        self._credit = _INITIAL_CREDIT
        # hits: documents a plan answered; fallbacks: documents a plan left to the reference
        # path; misses: documents no plan serves. Counted after the plan answers, never before.
        self.hits = 0
        self.fallbacks = 0
        self.misses = 0
        self.compiles = 0

    @property
    def size_bytes(self) -> int:
        """Approximate memory held by compiled plans and their keys."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def canonical_nquads(self, document: Any) -> str:
        """Return the RDFC-1.0 canonical N-Quads of `document`, exactly as the reference path.

        Raises what the reference path raises (`UnsafeDocument`, `UnknownContext`, ...).
        """
        try:
            shape = read_shape(document)
        except NoShape:
            with self._lock:
                self.misses += 1
            return self._reference_nquads(document)
        plan = self._plan_for(shape)
        if plan is not None:
            result = plan.canonical_nquads(shape.values)
            self._count(served=result is not None)
            if result is not None:
                return result
        else:
            with self._lock:
                self.misses += 1
        result = self._reference_nquads(document)
        if plan is None and self._should_compile(shape):
            self._compile(document, shape, result)
        return result

    def serves(self, document: Any) -> bool:
        """True if a plan compiled from a safe document serves `document` (so it is safe too)."""
        try:
            shape = read_shape(document)
        except NoShape:
            return False
        return self._plan_for(shape) is not None

    def _plan_for(self, shape: Shape) -> Plan | None:
        """The plan that serves `shape`'s values, if any (counts nothing)."""
        if self._generation() != self._seen_generation:
            self.clear()
            self._seen_generation = self._generation()
        with self._lock:
            entry = self._entries.get(shape.key)
            if entry is None:
                return None
            self._entries.move_to_end(shape.key)
        for plan in entry.plans:
            if plan.serves(shape.values):
                return plan
        return None

    def _count(self, *, served: bool) -> None:
        """Count a plan's answer; only documents a plan really served earn compile credit."""
        with self._lock:
            if served:
                self.hits += 1
                self._credit = min(_MAX_CREDIT, self._credit + _CREDIT_PER_HIT)
            else:
                self.fallbacks += 1

    def _should_compile(self, shape: Shape) -> bool:
        fingerprint = hash(shape.key)
        with self._lock:
            entry = self._entries.get(shape.key)
            if entry is not None and (
                len(entry.plans) >= MAX_VARIANTS or entry.failures >= MAX_VARIANTS
            ):
                return False
            seen = self._sightings.pop(fingerprint, 0) + 1
            if seen < self.compile_after or self._credit < 1:
                self._sightings[fingerprint] = seen
                while len(self._sightings) > 4 * self.max_shapes:
                    self._sightings.popitem(last=False)
                return False
            self._credit -= 1
            return True

    def _compile(self, document: Any, shape: Shape, expected: str) -> None:
        try:
            plan: Plan | None = compile_plan(document, shape, self._reference_quads)
        except (NotCompilable, ValueError, LookupError, TypeError):
            plan = None
        if plan is not None and not plan.serves(shape.values):
            plan = None
        if plan is not None and plan.canonical_nquads(shape.values) not in (None, expected):
            # None: the plan leaves this very document to the reference path (values merged
            # by the reference processor), which says nothing against the plan.
            plan = None
        with self._lock:
            self.compiles += 1
            entry = self._entries.get(shape.key)
            if entry is None:
                entry = _Entry()
                self._entries[shape.key] = entry
                self._bytes += 16 * len(shape.key) + 200
            if plan is None:
                entry.failures += 1
            else:
                entry.plans.append(plan)
                self._bytes += plan.size
            self._evict()

    def _evict(self) -> None:
        while self._entries and (
            len(self._entries) > self.max_shapes or self._bytes > self.max_bytes
        ):
            key, entry = self._entries.popitem(last=False)
            self._bytes -= 16 * len(key) + 200 + sum(plan.size for plan in entry.plans)

    def clear(self) -> None:
        """Forget every plan and sighting (the counters stay)."""
        with self._lock:
            self._entries.clear()
            self._sightings.clear()
            self._bytes = 0
