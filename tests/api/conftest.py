"""The API under test: the real app on a temporary SQLite file, through a TestClient."""

from app_fixtures import app, client, compliant_document, operator_client

__all__ = ["app", "client", "compliant_document", "operator_client"]
