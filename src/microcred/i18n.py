"""Translations of the user interface: gettext catalogues and the current language.

The catalogues are the ``.po`` files under ``microcred/locale``; they are compiled in memory
the first time a language is used, so a plain ``pip install -e .`` needs no build step.
``_()`` translates into the language of the request being served (a context variable set by
the web layer), English when none is set.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
# Interface languages, with their names in their own language (for the language switcher).
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}

_current_language: ContextVar[str] = ContextVar("microcred_language", default=DEFAULT_LANGUAGE)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Return the compiled catalogue of ``lang``; an untranslated (identity) one if none exists."""
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang not in LANGUAGES or not po_path.is_file():
        return gettext.NullTranslations()
    # Babel only here: a program that never translates (the command line) does not load it.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def set_language(lang: str) -> None:
    """Make ``lang`` the language ``_()`` translates into for the current context."""
    _current_language.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    return _current_language.get()


def gettext_(message: str) -> str:
    """Return ``message`` translated into the current language."""
    return translations(current_language()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    """Return the singular or plural form of a message, translated into the current language."""
    return translations(current_language()).ngettext(singular, plural, n)


_ = gettext_


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is made; it is translated where it is shown."""
    return message


def best_language(accept_language: str | None) -> str | None:
    """Return the first supported language of an Accept-Language header, by quality."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for negative_quality, _position, tag in sorted(ranked):
        base = tag.split("-")[0]
        if negative_quality < 0 and base in LANGUAGES:
            return base
    return None


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """Return the interface language: ``?lang=`` over the cookie over Accept-Language over en."""
    for candidate in (query, cookie):
        if candidate and candidate in LANGUAGES:
            return candidate
    return best_language(accept_language) or DEFAULT_LANGUAGE


def template_environment(folder: Path) -> Environment:
    """Return a Jinja2 environment over ``folder`` whose ``_()`` and ``ngettext()`` follow the
    current interface language, with HTML autoescaped: one set-up for pages, e-mails and reports."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=gettext_, ngettext=ngettext_, newstyle=True
    )
    return env
