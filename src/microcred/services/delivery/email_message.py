"""The e-mails to a learner, in their language: the claim link, and the one-time code.

Each is plain text with an HTML alternative, rendered from web/templates/email/.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from jinja2 import Environment

from microcred import i18n

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates" / "email"


def _environment() -> Environment:
    return i18n.template_environment(TEMPLATES)


_env = _environment()


def compose(
    template: str, *, to: str, sender: str, language: str, context: dict[str, Any]
) -> EmailMessage:
    """Return the e-mail ``template`` (``.txt`` and ``.html``, first line of text = subject)."""
    i18n.set_language(language)
    text = _env.get_template(f"{template}.txt").render(lang=language, **context)
    page = _env.get_template(f"{template}.html").render(lang=language, **context)
    subject, _, body = text.partition("\n")
    message = EmailMessage()
    message["Subject"] = subject.strip()
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body.lstrip("\n"))
    message.add_alternative(page, subtype="html")
    message["Content-Language"] = language  # after the body: setting content clears Content-*
    return message
