"""How long the ``microcred`` command takes to start: ``--help`` and ``spec check`` of a demo
specification, each in a fresh interpreter, median of several runs. Wall time includes Python's
own start-up and any wait for a core on a busy machine; CPU time (user and system) does not
wait, so it is the figure to compare across runs. The test suite holds the imported modules to
a budget instead.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.examples import DEMO_SPECIFICATION_FILE

RUNS = 7
COMMANDS = {
    "`python -c pass` (the interpreter alone)": ["-c", "pass"],
    "`microcred --help`": ["-m", "microcred", "--help"],
    "`microcred spec check` (a demo specification)": [
        "-m",
        "microcred",
        "spec",
        "check",
        str(DEMO_SPECIFICATION_FILE),
    ],
}


def median_ms(arguments: list[str], home: Path) -> tuple[float, float]:
    """Return the median wall time and CPU time of ``python ARGUMENTS`` in milliseconds."""
    wall, cpu = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, *arguments],
            capture_output=True,
            check=False,
            env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        )
        wall.append((time.perf_counter() - started) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu.append(used * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _row(name: str, times: tuple[float, float]) -> str:
    return f"| {name} | {times[0]:.0f} | {times[1]:.0f} |"


def measure_start_up() -> str:
    """Return the Markdown section of start-up times."""
    with tempfile.TemporaryDirectory() as home:
        rows = [_row(name, median_ms(args, Path(home))) for name, args in COMMANDS.items()]
    return "\n".join(
        [
            "## Command start-up",
            "",
            f"Medians of {RUNS} runs, each a new process (a fresh home directory, so",
            "no configuration file and the default SQLite location, which neither command opens).",
            "",
            "| command | median wall ms | median CPU ms |",
            "| --- | ---: | ---: |",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    print(measure_start_up())
