"""The verify page: paste JSON, drop a file or open ?url=, and read the report check by check."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from microcred.app import create_app
from microcred.config import Settings

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(tmp_path, issuer_did):
    trusted = tmp_path / "trusted.json"
    trusted.write_text(json.dumps({"issuers": [{"id": issuer_did, "name": "TH Lahntal"}]}))
    return create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'microcred.db'}",
            secret_key="test-key",
            trusted_issuers_file=str(trusted),
        ),
        migrate=True,
    )


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def post(client, **parts):
    token = TOKEN.search(client.get("/verify").text).group(1)
    files = {"file": parts.pop("file")} if "file" in parts else None
    return client.post("/verify", data={"csrf_token": token, **parts}, files=files)


def test_page_offers_a_file_a_text_box_and_a_link(client):
    page = client.get("/verify").text
    assert 'type="file"' in page and "<textarea" in page and 'name="url"' in page


def test_pasted_credential_shows_verified_and_each_check(client, credential):
    response = post(client, credential=json.dumps(credential))
    assert response.status_code == 200
    assert "Verified." in response.text
    for check in ("parse", "proof", "issuer_trust", "eu_profile"):
        assert f"<code>{check}</code>" in response.text


def test_dropped_file_with_a_changed_value_shows_not_verified(client, credential):
    credential["credentialSubject"]["achievement"]["name"] = "Forged"
    body = json.dumps(credential).encode()
    response = post(client, file=("badge.json", body, "application/json"))
    assert response.status_code == 422
    assert "Not verified." in response.text
    assert "the signature does not match" in response.text


def test_garbage_paste_is_explained_not_a_server_error(client):
    response = post(client, credential="{not json")
    assert response.status_code == 422
    assert "not valid JSON" in response.text


def test_nothing_submitted_asks_for_a_file_text_or_link(client):
    response = post(client, credential="  ")
    assert response.status_code == 400
    assert "paste its JSON" in response.text


def test_post_without_the_form_token_is_refused(client, credential):
    response = client.post("/verify", data={"credential": json.dumps(credential)})
    assert response.status_code == 403


def test_link_is_fetched_and_verified(client, loopback, credential, private_fetches):
    loopback["/badge"] = json.dumps(credential).encode()
    response = client.get("/verify", params={"url": loopback["base"].decode() + "/badge"})
    assert response.status_code == 200
    assert "Verified." in response.text


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "169.254.169.254", "[::ffff:7f00:1]", "192.168.1.1"]
)
def test_link_to_a_local_address_is_not_fetched_by_default(client, loopback, credential, host):
    loopback["/badge"] = json.dumps(credential).encode()
    port = loopback["base"].decode().rsplit(":", 1)[1]
    response = client.get("/verify", params={"url": f"https://{host}:{port}/badge"})
    assert response.status_code == 400
    assert "address not allowed" in response.text


def test_plain_http_link_is_not_fetched_by_default(client, loopback, credential):
    loopback["/badge"] = json.dumps(credential).encode()
    response = client.get("/verify", params={"url": loopback["base"].decode() + "/badge"})
    assert response.status_code == 400
    assert "only https URLs are fetched" in response.text


def test_untrusted_issuer_reads_differently_from_a_forgery(client, credential, tmp_path):
    client.app.state.instance_verifier = None
    client.app.state.settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'other.db'}", trusted_issuers_file=""
    )
    response = post(client, credential=json.dumps(credential))
    assert response.status_code == 200
    assert "Issuer not trusted" in response.text and "Not verified." not in response.text


def test_pdf_certificate_upload_starts_with_a_plain_sentence(client, credential):
    from test_verify_intake import certificate_pdf

    body = certificate_pdf(credential)
    response = post(client, file=("certificate.pdf", body, "application/pdf"))
    assert response.status_code == 200
    sentence = re.search(r'data-testid="verify-sentence"><strong>([^<]+)<', response.text)
    assert sentence is not None
    assert sentence.group(1).startswith("Jana Nowak holds Data Literacy")
    assert "from Lahntal University of Applied Sciences, issued 1 Mar 2025 — verified." in (
        sentence.group(1).replace("&#39;", "'")
    )
    # The sentence comes before the table of checks.
    assert response.text.index("verify-sentence") < response.text.index("<table")
    # An unsealed PDF: the seal panel says so without failing the credential's verdict.
    assert "This PDF carries no seal of its own" in response.text
    assert "Seal not verified." not in response.text


def test_page_in_german_translates_the_sentence_check_names_and_reasons(client, credential):
    from test_verify_intake import certificate_pdf

    client.get("/verify?lang=de")
    body = certificate_pdf(credential)
    response = post(client, file=("certificate.pdf", body, "application/pdf"))
    assert response.status_code == 200
    assert "Jana Nowak hat Datenkompetenz für die öffentliche Verwaltung (5 ECTS" in response.text
    assert "ausgestellt am 01.03.2025 — bestätigt." in response.text
    assert "Signatur" in response.text and "Vertrauenswürdiger Aussteller" in response.text
    assert "die Signatur ist gültig (eddsa-rdfc-2022)" in response.text
    assert "the proof verified" not in response.text


def test_garbage_file_gets_a_sentence_in_the_viewers_language(client):
    client.get("/verify?lang=de")
    response = post(client, file=("cv.docx", b"PK\x03\x04\x00\xff binary", "application/zip"))
    assert response.status_code == 422
    assert "Das ist kein Nachweis." in response.text
    assert "UTF-8" not in response.text and "Expecting" not in response.text


def test_file_picker_accepts_pdf_png_svg_json_and_jwt(client):
    accept = re.search(r'accept="([^"]+)"', client.get("/verify").text).group(1).split(",")
    for kind in (".pdf", ".png", ".svg", ".json", ".jwt"):
        assert kind in accept
