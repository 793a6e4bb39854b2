"""Install the security middlewares on an app, with limits from the settings."""

from __future__ import annotations

from fastapi import FastAPI

from microcred.config import Settings
from microcred.security.body_limit import MAX_REQUEST_BYTES, BodySizeLimitMiddleware
from microcred.security.counters import Counter, memory_counter, redis_counter
from microcred.security.headers import SecurityHeadersMiddleware
from microcred.security.rate_limiting import RateLimitMiddleware
from microcred.security.rate_limits import RateLimits


def install_security(app: FastAPI, settings: Settings) -> None:
    """Add size limits, rate limits and security headers (outermost) to ``app``."""
    app.state.rate_limits = RateLimits.from_settings(settings)
    app.state.rate_counter = rate_counter(settings)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_REQUEST_BYTES)
    app.add_middleware(RateLimitMiddleware)
    app.add_middleware(
        SecurityHeadersMiddleware, https=settings.base_url.lower().startswith("https://")
    )


def rate_counter(settings: Settings) -> Counter:
    """Return the Redis counter when MICROCRED_REDIS_URL is set, else one in this process."""
    url = settings.redis_url.get_secret_value()
    return redis_counter(url) if url else memory_counter()
