"""The main navigation: public pages for everyone, staff pages for the roles that open them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from gaps_support import DESIGNER, LEARNER, OFFICER, Site, sign_in

PUBLIC = {"/", "/courses", "/verify"}  # the API documentation is linked in the footer


def _nav(client: TestClient, page: str = "/") -> set[str]:
    text = client.get(page).text
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', text, re.S)
    assert nav, "the page has no main navigation"
    return set(re.findall(r'<a href="([^"]+)"', nav.group(1)))


def test_anonymous_visitors_see_the_public_pages_and_sign_in(anonymous: TestClient) -> None:
    assert _nav(anonymous) == PUBLIC | {"/login"}


def test_designer_sees_design_and_pathways(site: Site) -> None:
    links = _nav(sign_in(TestClient(site.app), DESIGNER))
    assert links >= PUBLIC | {"/designer", "/pathways/design", "/verifier/wallet", "/wallet"}
    assert "/recognition" not in links


def test_recognition_officer_sees_recognition_not_the_designer(site: Site) -> None:
    links = _nav(sign_in(TestClient(site.app), OFFICER))
    assert {"/recognition", "/verifier/wallet"} <= links
    assert not {"/designer", "/pathways/design"} & links


def test_learner_sees_the_wallet_and_no_staff_page(site: Site) -> None:
    links = _nav(sign_in(TestClient(site.app), LEARNER))
    assert links == PUBLIC | {"/wallet", "/account"}


def test_current_page_is_marked_for_screen_readers(site: Site) -> None:
    client = sign_in(TestClient(site.app), OFFICER)
    text = client.get("/recognition").text
    assert '<a href="/recognition" aria-current="page">' in text


def test_the_new_pages_speak_german(site: Site) -> None:
    designer = sign_in(TestClient(site.app), DESIGNER)
    form = designer.get("/pathways/design/new?lang=de").text
    assert "Lernpfad speichern" in form and "Bedingungen für das Ganze" in form
    officer = sign_in(TestClient(site.app), OFFICER)
    assert "Fall eröffnen" in officer.get("/recognition?lang=de").text
    assert "Anfrage erstellen" in officer.get("/verifier/wallet?lang=de").text
