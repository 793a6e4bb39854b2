"""The interface language: ?lang= over the cookie over Accept-Language over English."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware.base import BaseHTTPMiddleware

from microcred import i18n


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        (None, None, None, "en"),
        (None, None, "de-DE,de;q=0.9,en;q=0.8", "de"),
        (None, None, "fr-FR, de;q=0.5, en;q=0.7", "en"),
        (None, None, "fr", "en"),
        (None, "de", "en", "de"),
        ("en", "de", "de", "en"),
        ("xx", "de", None, "de"),
    ],
)
def test_language_choice_order(
    query: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert i18n.choose_language(query, cookie, accept) == expected


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_message_of_the_catalogue_is_translated(lang: str) -> None:
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file)
    untranslated = [m.id for m in catalog if m.id and not all(_strings(m.string))]
    assert untranslated == []
    assert len(catalog) > 100


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)


def test_german_translation_is_used_in_python_code() -> None:
    i18n.set_language("de")
    try:
        assert i18n._("Catalogue") == "Katalog"
        assert i18n.ngettext_("%(num)d error", "%(num)d errors", 2) % {"num": 2} == "2 Fehler"
    finally:
        i18n.set_language("en")
    assert i18n._("Catalogue") == "Catalogue"


def test_lang_parameter_switches_the_page_and_is_remembered(client: TestClient) -> None:
    german = client.get("/?lang=de")
    assert '<html lang="de">' in german.text
    assert "Katalog der Micro-Credentials" in german.text
    assert german.cookies.get("microcred_lang") == "de"
    remembered = client.get("/")
    assert "Katalog der Micro-Credentials" in remembered.text


def test_accept_language_chooses_german_without_a_cookie(client: TestClient) -> None:
    response = client.get("/", headers={"Accept-Language": "de-AT,de;q=0.9"})
    assert "Zum Hauptinhalt springen" in response.text
    assert response.headers["Content-Language"] == "de"


def test_english_is_the_default(client: TestClient) -> None:
    response = client.get("/")
    assert '<html lang="en">' in response.text
    assert "Catalogue of micro-credentials" in response.text


def test_every_page_has_a_language_switcher(client: TestClient) -> None:
    for page in ("/", "/designer"):
        text = client.get(page).text
        assert 'hreflang="de"' in text and 'hreflang="en"' in text


def test_the_cookie_is_set_once_and_the_api_is_answered_in_the_chosen_language(
    client: TestClient,
) -> None:
    chosen = client.get("/?lang=de")
    assert chosen.headers.get_list("set-cookie")[0].startswith("microcred_lang=de;")
    again = client.get("/?lang=de")
    assert not any(c.startswith("microcred_lang=") for c in again.headers.get_list("set-cookie"))
    answer = client.post("/credentials/verify", json={"verifiableCredential": "not JSON"})
    assert answer.headers["Content-Language"] == "de"


def test_every_middleware_is_plain_asgi(app: FastAPI) -> None:
    """A `BaseHTTPMiddleware` runs each request in a second task and re-streams the answer:
    several times the framework's own cost on the VC API's small requests."""
    assert app.user_middleware
    for middleware in app.user_middleware:
        assert not issubclass(middleware.cls, BaseHTTPMiddleware), middleware.cls  # type: ignore[arg-type]
