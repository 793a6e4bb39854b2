"""``/healthz`` (the process answers), ``/readyz`` (it can serve: database, schema, broker, a
key-encryption key that opens the issuer keys, a verifier slot or a place in its waiting line) and
``/metrics`` (Prometheus text format).

Readiness answers 503 while a part is down, naming the part; what is wrong in detail goes to
the log, not to the (public) response. Restrict ``/metrics`` to the monitoring network at the
proxy (deploy/nginx.conf does).
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from microcred import __version__
from microcred.config import SecretUrl
from microcred.observability.checks import Check, check_broker, check_database, check_migrations
from microcred.observability.job_queue import JobQueueCollector
from microcred.store.database import Database

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


@router.get("/healthz")
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    checks = readiness_checks(request.app.state.database, request.app.state.settings.broker_url)
    checks.append(request.app.state.key_check)
    for check in checks:
        if check.failed:
            log.warning("not ready: %s: %s", check.name, check.detail)
    # Every verifier slot busy and its waiting line full: new verifications get 503 for now.
    slots = getattr(request.app.state, "verifier_slots", None)
    saturated = bool(slots is not None and slots.saturated)
    ready = not any(check.failed for check in checks) and not saturated
    outcomes = {check.name: str(check.outcome) for check in checks}
    if slots is not None:
        outcomes["verifier"] = "saturated" if saturated else "ok"
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": outcomes},
        status_code=200 if ready else 503,
    )


def readiness_checks(database: Database, broker_url: SecretUrl) -> list[Check]:
    """Return the checks that decide readiness; migrations only once the database answers."""
    reached = check_database(database)
    checks = [reached]
    if not reached.failed:
        checks.append(check_migrations(database))
    checks.append(check_broker(broker_url))
    return checks


@router.get("/metrics")
def metrics(request: Request) -> Response:
    body = generate_latest(REGISTRY) + generate_latest(_queue_registry(request))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def _queue_registry(request: Request) -> CollectorRegistry:
    """Return the app's registry of database-read gauges (made on first scrape)."""
    registry: CollectorRegistry | None = getattr(request.app.state, "queue_metrics", None)
    if registry is None:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(JobQueueCollector(request.app.state.database))
        request.app.state.queue_metrics = registry
    return registry
