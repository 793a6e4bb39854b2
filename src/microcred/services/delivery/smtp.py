"""Sending e-mail over SMTP with the settings' server; the password never reaches a log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from microcred.config import Settings
from microcred.services.delivery.outbox import DEMO_OUTBOX

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30


class MailNotConfigured(RuntimeError):
    """No SMTP server is set (MICROCRED_SMTP_HOST)."""


def can_send(settings: Settings) -> bool:
    """Return whether e-mail goes anywhere: to an SMTP server, or to the demo's outbox."""
    return bool(settings.smtp_host) or settings.demo_mode


def send_message(settings: Settings, message: EmailMessage) -> None:
    """Send ``message`` through the configured SMTP server (STARTTLS and login when set);
    in demo mode keep it in the demo outbox instead."""
    if settings.demo_mode:
        DEMO_OUTBOX.keep(message)
        return
    if not settings.smtp_host:
        raise MailNotConfigured(
            "no SMTP server is configured: set MICROCRED_SMTP_HOST (and _PORT, _USER, "
            "_PASSWORD, _FROM, _STARTTLS) to send e-mail"
        )
    if "From" not in message:
        message["From"] = settings.smtp_from
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
    # Neither the recipient nor the subject: one is personal data, the other may hold a code.
    log.info("sent an e-mail via %s:%d", settings.smtp_host, settings.smtp_port)
