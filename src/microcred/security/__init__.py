"""Hardening at the edge of the web app: security headers, request size limits, rate limits.

`install_security(app, settings)` adds the three middlewares to an app; `create_app` calls it.
"""

from __future__ import annotations

from microcred.security.installation import install_security

__all__ = ["install_security"]
