"""Helpers the web tests share: reading the CSRF token a page hands out, example forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app_fixtures import INSTITUTION
from microcred.web.form_data import form_from_document
from support.examples import example_specification

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, page: str = "/designer") -> str:
    """Return the CSRF token of a page's form (the client keeps the matching cookie)."""
    response = client.get(page)
    assert response.status_code == 200, response.text
    match = _TOKEN.search(response.text)
    assert match, "the page has no CSRF field"
    return match.group(1)


def form_body(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Return posted fields in the shape the test client sends (repeated names kept)."""
    body: dict[str, list[str]] = {}
    for name, value in fields:
        body.setdefault(name, []).append(value)
    return body


def example_form() -> list[tuple[str, str]]:
    """The compliant example as the fields a browser would post."""
    values = form_from_document(example_specification().model_dump(mode="json", exclude_none=True))
    fields: list[tuple[str, str]] = [("institution", INSTITUTION)]
    for name, value in values.items():
        if isinstance(value, list):
            fields += [(name, item) for item in value]
        else:
            fields.append((name, value))
    return fields
