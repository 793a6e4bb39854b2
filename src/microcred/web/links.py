"""Links to addresses people typed: only web and e-mail addresses become links.

Every page shows such an address through the ``link`` filter. Anything else (``javascript:``,
``data:``, a value stored before addresses were checked) is shown as plain text, never as an
``href``, so a link on a page cannot run script or open a forged document.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from microcred.domain.compliance.predicates import is_email, is_url


def _href(address: str) -> str | None:
    """Return the href for an http(s) URL or an e-mail address; None for anything else."""
    if is_url(address):
        return address
    if is_email(address):
        return "mailto:" + address
    return None


def link(address: object, text: object = None) -> Markup:
    """Return ``address`` as a link showing ``text`` (else itself), or as text when unsafe."""
    shown = str(address) if text is None else text
    href = _href(str(address))
    if href is None:
        return escape(shown)
    return Markup('<a href="{}">{}</a>').format(href, shown)
