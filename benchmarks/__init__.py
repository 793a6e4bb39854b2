"""`make bench`: what issuing, verifying, status lists, bulk jobs, the finder and the HTTP API
cost on this machine, written as Markdown to BENCHMARKS.md.

Run from the repository root (`python -m benchmarks --output BENCHMARKS.md`); the package is
not part of the installed wheel. Each module measures one area:

- `signing`: one credential per cryptosuite on one core, and the report that joins the rest;
- `status_lists`, `bulk`, `finder`, `http_load`, `start_up`: the other areas, each also
  runnable alone;
- `machine`: pinning to one core and naming the processor.
"""
