"""Log lines: one JSON object a line for machines, plain text when a person watches a terminal.

Each line has the time (UTC), level, logger, message and, inside a request, its ``request_id``
and ``tenant``. Extra fields passed with ``extra={"event": ...}`` go into the object. Values of
the configured secrets are replaced by ``********`` wherever they would appear.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from microcred.config import MASK, Secret, Settings
from microcred.observability.log_context import current_request

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colours
}


class RequestFields(logging.Filter):
    """Add the current request's id and tenant to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request()
        record.request_id = context.request_id if context else None
        record.tenant = context.tenant if context else None
        return True


class HideSecrets(logging.Filter):
    """Replace the value of every configured secret by the mask, in the message and fields."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Short values would mask innocent words; real secrets are long.
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = self.hide(record.getMessage())
        record.msg, record.args = message, None
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and isinstance(value, str):
                setattr(record, name, self.hide(value))
        return True

    def hide(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text


class JsonLines(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainText(logging.Formatter):
    """Format a record for a person: time, level, message, then the request's id if any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{text} [{request_id}]" if request_id else text


def use_json(log_format: str, stream: Any) -> bool:
    """True for JSON lines: asked for, or "auto" and the stream is not a terminal."""
    if log_format == "auto":
        return not (hasattr(stream, "isatty") and stream.isatty())
    return log_format == "json"


def configure_logging(settings: Settings, stream: Any = None) -> logging.Handler:
    """Send every log record (microcred's, uvicorn's, Celery's) to ``stream`` (standard error)
    in the configured format, secrets hidden; return the handler installed."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines() if use_json(settings.log_format, stream) else PlainText())
    handler.addFilter(RequestFields())
    handler.addFilter(HideSecrets(secret_values(settings)))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # Alembic says "Context impl ..." at each schema check (every /readyz); migrations are
    # logged by observability.schema.
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    # HTTP clients log every URL they fetch; fetched URLs (wallet imports, share links) can
    # hold tokens. (Starlette's test client logs through "httpx2".)
    for client in ("httpx", "httpx2"):
        logging.getLogger(client).setLevel(logging.WARNING)
    return handler


def secret_values(settings: Settings) -> list[str]:
    """Return what must never appear in a log: each secret, and the passwords in URLs."""
    return [
        value.hidden_part()
        for _, value in settings
        if isinstance(value, Secret) and value.hidden_part()
    ]
