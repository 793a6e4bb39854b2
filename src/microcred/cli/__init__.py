"""The ``microcred`` command line: ``main`` holds the app, one module per command group."""
