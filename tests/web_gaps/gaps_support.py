"""Helpers of the page tests: accounts, signing in, specifications to stack, form tokens."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.app_fixtures import log_in
from microcred.services.accounts import Accounts
from stacking.stacking_support import component_spec
from web.web_support import csrf_token as form_token

__all__ = ["form_token"]

LAHNTAL = "th-lahntal"
KOIVULA = "koivula"
LEARNER = "jana@example.org"
PASSWORD = "correct horse battery staple"
DESIGNER = f"designer@{LAHNTAL}.example"
OFFICER = f"officer@{LAHNTAL}.example"
OTHER_DESIGNER = f"designer@{KOIVULA}.example"
OTHER_OFFICER = f"officer@{KOIVULA}.example"
REGISTRAR = f"registrar@{LAHNTAL}.example"


@dataclass
class Site:
    app: FastAPI
    cleaning: str
    visualisation: str
    data_science: str
    koivula_module: str


class People:
    """Makes the accounts of the tests, all with PASSWORD."""

    def __init__(self, app: FastAPI) -> None:
        self.accounts = Accounts(app.state.database)

    def staff(self, email: str, role: str, institution: str) -> None:
        self.accounts.create_user(email, password=PASSWORD, actor="test setup")
        self.accounts.add_role(email, institution, role, actor="test setup")

    def learner(self, email: str) -> None:
        self.accounts.create_user(email, password=PASSWORD, actor="test setup")


def publish(app: FastAPI, institution: str, title: str, ects: float, isced: str = "0613") -> str:
    """Return the id of a new published specification of ``institution``."""
    catalogue = app.state.catalogue
    record = catalogue.create(institution, component_spec(title, ects, isced))
    return str(catalogue.publish(record.id).id)


def sign_in(client: TestClient, email: str) -> TestClient:
    """Sign ``client`` in as ``email`` through the login form; return it."""
    log_in(client, email, PASSWORD)
    return client


def app_request(app: FastAPI) -> Request:
    """Return a request of ``app``, for reaching its services as its handlers do."""
    return Request({"type": "http", "app": app, "headers": []})
