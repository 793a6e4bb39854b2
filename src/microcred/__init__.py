"""microcred: describe, issue, verify and stack EU micro-credentials."""

__version__ = "0.1.0"
