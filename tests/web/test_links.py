"""Links to typed addresses: the form refuses other schemes, and pages never link to them."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_support import csrf_token, example_form, form_body

from api.app_fixtures import INSTITUTION
from microcred.web.links import link
from support.examples import example_specification

SCRIPT = "javascript:alert(document.cookie)"
DOCUMENT = "data:text/html,<script>alert(1)</script>"


@pytest.mark.parametrize(
    "address",
    [SCRIPT, DOCUMENT, " java\tscript:alert(1)", "ftp://x.org", "javascript:alert(1)//@x.org"],
)
def test_link_filter_shows_other_schemes_as_text(address: str) -> None:
    shown = link(address, "Course website")
    assert "href" not in shown and str(shown) == "Course website"
    assert "href" not in link(address) and "<script>" not in link(address)


def test_link_filter_links_web_and_email_addresses_escaped() -> None:
    assert link("https://x.example/a?b=1&c=2", "Site") == (
        '<a href="https://x.example/a?b=1&amp;c=2">Site</a>'
    )
    assert link("info@x.example") == '<a href="mailto:info@x.example">info@x.example</a>'
    assert link('https://x.example/"onmouseover="alert(1)') == (
        '<a href="https://x.example/&#34;onmouseover=&#34;alert(1)">'
        "https://x.example/&#34;onmouseover=&#34;alert(1)</a>"
    )


@pytest.mark.parametrize("field", ["homepage", "awarding_bodies.0.homepage", "guidance_contact"])
@pytest.mark.parametrize("address", [SCRIPT, DOCUMENT])
def test_form_refuses_a_link_of_another_scheme_beside_the_field(
    client: TestClient, app: FastAPI, field: str, address: str
) -> None:
    token = csrf_token(client)
    fields = [(n, v) for n, v in example_form() if n != field]
    fields += [(field, address), ("csrf_token", token)]
    response = client.post("/designer", data=form_body(fields))
    assert response.status_code == 422
    assert f'id="{field.replace(".", "-")}-errors"' in response.text
    assert app.state.catalogue.search() == []


def test_stored_links_of_other_schemes_are_never_rendered_as_links(
    client: TestClient, app: FastAPI
) -> None:
    legacy = example_specification()
    legacy.homepage = SCRIPT
    legacy.guidance_contact = SCRIPT
    legacy.further_information_url = DOCUMENT
    legacy.quality_assurance.agency_url = SCRIPT
    legacy.quality_assurance.link = DOCUMENT
    legacy.awarding_bodies[0].homepage = SCRIPT
    legacy.learning_outcomes[0].esco_skills = [SCRIPT]
    record = app.state.catalogue.create(INSTITUTION, legacy)
    published = example_specification()
    published.homepage = SCRIPT  # the course page shows it; no compliance rule covers it
    course = app.state.catalogue.publish(app.state.catalogue.create(INSTITUTION, published).id)

    for path in (f"/specifications/{record.id}", f"/courses/{course.id}"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'href="javascript:' not in page.text.lower()
        assert 'href="data:' not in page.text.lower()
    assert "javascript:alert(document.cookie)" in client.get(f"/specifications/{record.id}").text
