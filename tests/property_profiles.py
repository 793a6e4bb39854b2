"""How hard the property tests try: the Hypothesis profile named by MICROCRED_HYPOTHESIS_PROFILE.

- ``ci`` (the default, ``make test`` and ``make test-fast``): a fixed number of examples drawn
  from a fixed seed (``derandomize``), so a run's result depends on the code only, never on
  luck or on how busy the machine is (no per-example deadline, no "too slow" health check).
- ``deep`` (``make test-deep``): random examples, ``DEEP_FACTOR`` times as many, for hunting
  bugs the fixed examples do not reach; a failure prints the seed that replays it.

A test that sets its own number of examples writes ``max_examples=examples(n)``: ``n`` in the
``ci`` profile, ``n * DEEP_FACTOR`` in ``deep``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_VARIABLE = "MICROCRED_HYPOTHESIS_PROFILE"
DEEP_FACTOR = 10
DEFAULT_EXAMPLES = 100  # Hypothesis's own default, for tests that do not set a number


def _register() -> None:
    calm = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "database": None}
    settings.register_profile("ci", derandomize=True, print_blob=True, **calm)
    settings.register_profile(
        "deep", max_examples=DEFAULT_EXAMPLES * DEEP_FACTOR, print_blob=True, **calm
    )


def profile() -> str:
    """Return the name of the profile this run uses ("ci" unless the variable says "deep")."""
    name = os.environ.get(PROFILE_VARIABLE, "").strip() or "ci"
    if name not in ("ci", "deep"):
        raise ValueError(f"{PROFILE_VARIABLE} must be 'ci' or 'deep', not {name!r}")
    return name


def load() -> None:
    """Register both profiles and load the one this run uses (before test modules import)."""
    _register()
    settings.load_profile(profile())


def examples(ci: int) -> int:
    """Return how many examples a test that wants ``ci`` of them in CI draws in this run."""
    return ci * DEEP_FACTOR if profile() == "deep" else ci
