"""Jinja2 templates: one environment with gettext, and the render call every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from microcred import i18n
from microcred.domain.display_text import display_text
from microcred.domain.specification import localise
from microcred.http.auth import viewer
from microcred.web import csrf
from microcred.web.element_labels import element_anchor, element_label
from microcred.web.formatting import duration_text, number_text, vocabulary_label
from microcred.web.links import link
from microcred.web.staff_access import staff_links
from microcred.web.verification_text import check_label, reason_text

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _environment() -> Environment:
    env = i18n.template_environment(TEMPLATE_DIR)
    env.globals["interface_languages"] = i18n.LANGUAGES
    env.globals["staff_links"] = staff_links
    env.globals["check_label"] = check_label
    env.globals["reason_text"] = reason_text
    env.globals["element_label"] = element_label
    env.globals["element_anchor"] = element_anchor
    env.filters["localise"] = localise
    env.filters["text"] = display_text  # any JSON-LD text value, in the viewer's language
    env.filters["vocab"] = vocabulary_label
    env.filters["duration"] = duration_text
    env.filters["number"] = number_text
    env.filters["link"] = link
    env.filters["name_of"] = lambda value, names: names.get(value, value)
    return env


environment = _environment()


def url_with(request: Request, **changes: Any) -> str:
    """Return the current URL with some query parameters replaced (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page in the request's language, with the CSRF token its forms need."""
    lang: str = request.state.lang
    i18n.set_language(lang)
    page = environment.get_template(template).render(
        request=request,
        lang=lang,
        csrf_token=csrf.token_for(request),
        csrf_field=csrf.FIELD_NAME,
        viewer=viewer(request),
        url_with=lambda **changes: url_with(request, **changes),
        **context,
    )
    response = HTMLResponse(page, status_code=status_code)
    csrf.keep_cookie(request, response)
    return response
