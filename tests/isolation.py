"""Each test process starts from the same environment, whatever the machine or shell holds.

- microcred's settings come only from what a test sets: every ``MICROCRED_*`` variable of the
  caller's shell is removed (except the suite's own ``MICROCRED_TEST_*`` and Hypothesis profile).
- Its default data folder (the key-encryption key, trusted lists, the default SQLite file) is a
  new empty folder of this process, never the user's ``~/.local/share/microcred``: a test that
  passes only because an earlier run left a key there would fail on a clean machine.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

KEPT = ("MICROCRED_TEST_", "MICROCRED_HYPOTHESIS_PROFILE")


def isolate_environment() -> str:
    """Clear the caller's microcred settings and give this process its own data folder."""
    for name in list(os.environ):
        if name.startswith("MICROCRED_") and not name.startswith(KEPT):
            del os.environ[name]
    data_home = tempfile.mkdtemp(prefix="microcred-test-data-")
    atexit.register(shutil.rmtree, data_home, ignore_errors=True)
    os.environ["XDG_DATA_HOME"] = data_home
    return data_home
