"""The Prometheus metrics every microcred process keeps (served by the API at /metrics).

This module imports nothing of microcred, so any layer may count here: the services count
credentials issued and revoked, the verifier counts verdicts, the job runner times chunks.
Each process counts its own; Prometheus scrapes every API process (see the README).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "microcred_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "microcred_http_request_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
)
CREDENTIALS_ISSUED = Counter(
    "microcred_credentials_issued",
    "Credentials signed and stored, by format (ob3-di, vc+jwt, edc).",
    ["format"],
)
CREDENTIALS_VERIFIED = Counter(
    "microcred_credentials_verified",
    "Credentials checked by the verifier, by verdict.",
    ["result"],
)
CREDENTIALS_REVOKED = Counter(
    "microcred_credentials_revoked",
    "Credentials revoked (each one once).",
)
SIGNING_SECONDS = Histogram(
    "microcred_signing_seconds",
    "Time to sign one credential, by cryptosuite (or vc+jwt).",
    ["suite"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
JOB_CHUNK_SECONDS = Histogram(
    "microcred_job_chunk_seconds",
    "Time to do one chunk of a job, by job kind.",
    ["kind"],
    buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
JOB_SECONDS = Histogram(
    "microcred_job_seconds",
    "Time from a job's start to its end, by job kind and final state.",
    ["kind", "state"],
    buckets=(1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0),
)
ANALYTICS_DROPPED = Counter(
    "microcred_analytics_dropped",
    "Verification checks not recorded for analytics because the recorder's queue was full.",
)
