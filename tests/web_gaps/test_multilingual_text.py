"""Multilingual names reach learners as text in their language, never as JSON-LD data.

A credential from elsewhere names itself and its issuer with language value objects (the VC
2.0 form). The wallet page, the shared-link page and the learner record PDF show the name in
the viewer's language (German here, English as the fallback) and never print ``@value`` or
``@language``.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient
from gaps_support import LEARNER, Site, app_request, sign_in

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.domain.display_text import display_text, language_map
from microcred.http.services import wallet_of
from stacking.stacking_support import OTHER_KEY

NAME = [
    {"@value": "Urban Beekeeping", "@language": "en"},
    {"@value": "Stadtimkerei", "@language": "de"},
]
ISSUER_NAME = [
    {"@value": "University of Kaltenbach", "@language": "en"},
    {"@value": "Universität Kaltenbach", "@language": "de"},
]
RAW = ("@value", "@language", "{'")


def foreign_credential() -> dict[str, object]:
    """Return another university's OB 3.0 credential, signed with its own did:key."""
    issuer = did_key_for(OTHER_KEY.public_key)
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b8a3c2e-5d4f-4a8e-9b1c-2f6e7d8a9b0c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer,
            "type": ["Profile"],
            "name": ISSUER_NAME,
        },
        "name": NAME,
        "validFrom": "2026-11-02T10:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://kaltenbach.example/achievements/beekeeping",
                "type": ["Achievement"],
                "name": NAME,
                "description": "Keeping bees in town.",
                "criteria": {"narrative": "Passed the practical."},
            },
        },
    }
    method = did_key_verification_method_id(OTHER_KEY.public_key)
    return sign(credential, OTHER_KEY, suite="eddsa-rdfc-2022", verification_method=method)


def assert_no_raw_text(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{where} prints JSON-LD data ({raw!r})"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (NAME, "de", "Stadtimkerei"),
        (NAME, "de-AT", "Stadtimkerei"),
        (NAME, "fi", "Urban Beekeeping"),  # English is the fallback
        ({"@value": "Abeilles", "@language": "fr"}, "de", "Abeilles"),  # else any language
        ({"en": "Bees", "de": "Bienen"}, "de", "Bienen"),  # our own language maps
        ("Bees", "de", "Bees"),
        ([{"@value": 5}, {"id": "x", "en": "y"}, [["nested"]], None], "en", ""),  # not text
    ],
)
def test_display_text_picks_the_viewers_language(value: object, lang: str, expected: str) -> None:
    assert display_text(value, lang) == expected


def test_language_map_reads_untagged_text_and_refuses_node_objects() -> None:
    assert language_map(["Bees", {"@value": "Bienen", "@language": "de"}]) == {
        "und": "Bees",
        "de": "Bienen",
    }
    assert language_map({"en": "Bees", "de-AT": "Bienen"}) == {"en": "Bees", "de-AT": "Bienen"}
    assert language_map({"@id": "x", "en": "Bees"}) == {}  # a node, not a language map
    assert language_map({"name": "Bees"}) == {}  # not a language tag


def test_wallet_pages_and_learner_record_show_names_in_the_viewers_language(site: Site) -> None:
    wallet = wallet_of(app_request(site.app))
    entry = wallet.import_credential(LEARNER, json.dumps(foreign_credential()).encode(), "file")
    learner = sign_in(TestClient(site.app), LEARNER)

    german = learner.get("/wallet", headers={"Accept-Language": "de"}).text
    assert "Stadtimkerei" in german and "Universität Kaltenbach" in german
    assert_no_raw_text(german, "the German wallet page")
    english = learner.get("/wallet", headers={"Accept-Language": "en"}).text
    assert "Urban Beekeeping" in english and "University of Kaltenbach" in english
    assert_no_raw_text(english, "the English wallet page")

    _link, token = wallet.create_share_link(LEARNER, [entry.id])
    shared = TestClient(site.app).get(f"/shared/{token}", headers={"Accept-Language": "de"})
    assert shared.status_code == 200
    assert "Stadtimkerei" in shared.text
    assert_no_raw_text(shared.text, "the shared-link page")

    record = learner.get("/api/wallet/record.pdf")
    assert record.status_code == 200
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (Debian's poppler-utils) is installed by 'make test'"
    text = subprocess.run(
        [pdftotext, "-", "-"], input=record.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Urban Beekeeping" in text and "University of Kaltenbach" in text
    assert_no_raw_text(text, "the learner record PDF")
