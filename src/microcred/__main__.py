"""``python -m microcred``: the ``microcred`` command, for when its script is not on the PATH."""

from microcred.cli.main import app

app(prog_name="microcred")
