"""Install the operating endpoints and the request middleware on the app."""

from __future__ import annotations

from fastapi import FastAPI

from microcred.observability.endpoints import router
from microcred.observability.requests import RequestObservation


def install_observability(app: FastAPI) -> None:
    """Serve /healthz, /readyz and /metrics, and watch every request (outermost middleware)."""
    app.include_router(router)
    app.add_middleware(RequestObservation)
