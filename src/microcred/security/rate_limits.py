"""How often one client may call the public verifier, and try to sign in, per time window.

Each limit is "N/SECONDS": at most N counted requests in a fixed window of SECONDS. The values
are settings (`rate_limit_verify`, `rate_limit_login_ip`, `rate_limit_login_account`, i.e.
``MICROCRED_RATE_LIMIT_VERIFY`` and so on). Sign-in counts failed attempts only, per client
address and per account (the e-mail address asked for), so a guesser is slowed down from one
address or from many.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.config import Settings, environment_variable


class RateLimitSettingError(ValueError):
    """A rate limit setting that cannot be read; the message names it and the expected form."""


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str, name: str) -> Limit:
        """Return the limit written as "N/SECONDS" (e.g. "60/60"); raises RateLimitSettingError."""
        requests, _, seconds = text.strip().partition("/")
        if not (requests.isdigit() and seconds.isdigit()) or int(requests) < 1 or int(seconds) < 1:
            raise RateLimitSettingError(
                f"{name} must be 'N/SECONDS' with positive whole numbers (e.g. '60/60'), "
                f"not {text!r}"
            )
        return cls(int(requests), int(seconds))


@dataclass(frozen=True)
class RateLimits:
    """The limits in force; `app.state.rate_limits` holds the app's."""

    verify: Limit = Limit(60, 60)
    login_ip: Limit = Limit(30, 900)
    login_account: Limit = Limit(10, 900)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        """Return the limits the settings ask for; `RateLimitSettingError` names a wrong one."""

        def read(name: str) -> Limit:
            return Limit.parse(getattr(settings, name), environment_variable(name))

        return cls(
            verify=read("rate_limit_verify"),
            login_ip=read("rate_limit_login_ip"),
            login_account=read("rate_limit_login_account"),
        )
