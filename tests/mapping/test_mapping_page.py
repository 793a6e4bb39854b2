"""The /mapping page: upload catalogues, see the report, download it as PDF, XLSX and CSV."""

from __future__ import annotations

import io
import re

import openpyxl
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import app, client, operator_client
from microcred.services.mapping.demo import seed_mapping_demo
from web.web_support import csrf_token

__all__ = ["app", "client", "operator_client"]

CATALOGUE = (
    "Hochschule;Kurstitel;ECTS-Punkte;Angebotsform;Lernform\n"
    "FH Süd;Datenkompetenz;5;Micro-Credential;Online\n"
    "FH Süd;Ohne Credits;viele;Zertifikat;Online\n"
).encode()


def test_upload_stores_drafts_and_shows_this_imports_report(operator_client: TestClient) -> None:
    client = operator_client
    token = csrf_token(client, "/mapping")
    response = client.post(
        "/mapping",
        data={"csrf_token": token},
        files=[("files", ("fh-sued.csv", CATALOGUE, "text/csv"))],
    )
    assert response.status_code == 200, response.text
    assert "1 draft added" in response.text
    assert "1 row could not be read" in response.text
    assert "viele" in response.text and '">3</td>' in response.text  # the unreadable row
    assert 'href="/mapping?institution=fh-sud"' in response.text
    assert response.text.count('role="img"') == 14


def test_upload_without_a_csrf_token_is_refused_and_stores_nothing(
    operator_client: TestClient, app: FastAPI
) -> None:
    response = operator_client.post("/mapping", files=[("files", ("a.csv", CATALOGUE, "text/csv"))])
    assert response.status_code == 403
    assert app.state.catalogue.list_institutions()[0].slug == "th-lahntal"
    assert len(app.state.catalogue.list_institutions()) == 1


def test_upload_by_someone_who_may_not_add_institutions_is_refused(
    client: TestClient, app: FastAPI
) -> None:
    token = csrf_token(client, "/mapping")
    response = client.post(
        "/mapping", data={"csrf_token": token}, files=[("files", ("a.csv", CATALOGUE, "text/csv"))]
    )
    assert response.status_code == 403
    assert len(app.state.catalogue.list_institutions()) == 1


def test_drafts_of_other_institutions_are_not_shown_to_the_public(
    client: TestClient, app: FastAPI
) -> None:
    seed_mapping_demo(app.state.catalogue)
    del client.headers["Authorization"]
    assert "The catalogue has no programmes yet" in client.get("/mapping").text


def test_upload_without_files_asks_for_one(operator_client: TestClient) -> None:
    client = operator_client
    token = csrf_token(client, "/mapping")
    response = client.post("/mapping", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Choose at least one catalogue file" in response.text


def test_report_downloads_for_one_institution(operator_client: TestClient, app: FastAPI) -> None:
    client = operator_client
    seed_mapping_demo(app.state.catalogue)
    query = "?institution=university-of-koivula"
    page = client.get(f"/mapping{query}")
    assert page.status_code == 200
    assert re.search(r"12 programmes,\s+1 institution\b", page.text)
    pdf = client.get(f"/mapping/report.pdf{query}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/mapping/tables.xlsx{query}").content)
    )
    assert workbook["programmes"].max_row == 13
    rows = client.get(f"/mapping/tables/programmes.csv{query}").text.strip().splitlines()
    assert len(rows) == 13
    assert client.get("/mapping/tables/unknown.csv").status_code == 404


def test_page_in_german(operator_client: TestClient, app: FastAPI) -> None:
    seed_mapping_demo(app.state.catalogue)
    page = operator_client.get("/mapping?lang=de")
    assert "Abgleich von Programmkatalogen mit der EU-Definition" in page.text
    assert "Fehlende Pflichtelemente" in page.text
