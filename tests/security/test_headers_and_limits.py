"""Security headers on every response, the global body cap, and the 413 it answers."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import app_on_sqlite
from microcred.app import create_app
from microcred.config import Settings
from microcred.security.body_limit import MAX_REQUEST_BYTES

TEMPLATES = Path(__file__).parents[2] / "src" / "microcred" / "web" / "templates"


def test_every_kind_of_response_carries_the_security_headers(app: FastAPI) -> None:
    client = TestClient(app)
    for path in ("/", "/verify", "/login", "/docs", "/openapi.json", "/static/site.css", "/nope"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        assert "camera=()" in response.headers["permissions-policy"], path


def test_hsts_is_sent_only_when_the_base_url_is_https(tmp_path: Path) -> None:
    plain = app_on_sqlite(tmp_path / "plain.db")
    assert "strict-transport-security" not in TestClient(plain).get("/").headers
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'tls.db'}",
        secret_key="test-key",
        base_url="https://credentials.example",
    )
    hsts = (
        TestClient(create_app(settings, migrate=True)).get("/").headers["strict-transport-security"]
    )
    assert hsts.startswith("max-age=31536000")


def test_no_page_template_has_an_inline_script_style_or_event_handler() -> None:
    pages = [p for p in TEMPLATES.rglob("*.html") if "email" not in p.parts]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), page.name
        assert "<style" not in text, page.name
        assert not re.search(r"\sstyle=", text), page.name
        assert not re.search(r"\son[a-z]+=", text), page.name
        assert "hx-on" not in text, page.name


def test_the_api_docs_page_starts_swagger_from_a_static_script(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/docs").text
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js">',
        '<script src="/static/swagger-init.js">',
    ]
    assert client.get("/static/swagger-init.js").status_code == 200


def test_a_body_over_the_global_cap_is_refused_with_413_before_it_is_read(app: FastAPI) -> None:
    client = TestClient(app)
    headers = {"content-length": str(MAX_REQUEST_BYTES + 1), "content-type": "application/json"}
    response = client.post("/api/specifications", content=b"{}", headers=headers)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_over_the_global_cap_is_refused_with_413(app: FastAPI) -> None:
    chunk = b"x" * (1024 * 1024)

    def body():  # no Content-Length: sent chunked
        for _ in range(MAX_REQUEST_BYTES // len(chunk) + 2):
            yield chunk

    response = TestClient(app).post(
        "/credentials/verify", content=body(), headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 413)  # the verifier's own, smaller cap may answer first
    response = TestClient(app).post(
        "/api/specifications", content=body(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_route_keeps_its_own_smaller_cap(app: FastAPI) -> None:
    big = b'{"verifiableCredential": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = TestClient(app).post(
        "/credentials/verify", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
