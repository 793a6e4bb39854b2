"""`python -m benchmarks`: run every benchmark and write the report."""

from benchmarks.signing import main

raise SystemExit(main())
