"""A learner hears once when a saved course opens; the CLI reindexes and notifies."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from finder.courses import TODAY, Published
from microcred.cli.main import app as cli
from microcred.config import Settings
from microcred.services.accounts import Accounts
from microcred.services.catalogue import Catalogue
from microcred.services.finder import Finder
from microcred.services.finder.openings import Openings
from microcred.services.finder.saved import SavedItems

LEARNER = "learner@example.org"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(email.message_from_bytes(content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _settings(port: int) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="courses@uni.example",
        smtp_starttls=False,
        base_url="https://courses.example",
    )


def _save(catalogue: Catalogue, published: Published, *keys: str) -> int:
    user = Accounts(catalogue.db).create_user(LEARNER, password="a long passphrase", actor="test")
    for key in keys:
        SavedItems(catalogue.db).save(user.id, "course", published.ids[key], {"en": key})
    return user.id


def test_a_saved_course_opening_within_30_days_is_mailed_once(
    catalogue: Catalogue, published: Published, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    _save(catalogue, published, "gdpr", "cloud", "safety")  # starts in 14 and 60 days; none
    openings = Openings(Finder(catalogue.db), _settings(port))
    sent = openings.notify(TODAY, language="de")
    assert [opening.offer.specification_id for opening in sent] == [published.ids["gdpr"]]
    assert len(handler.messages) == 1
    message = handler.messages[0]
    assert message["To"] == LEARNER
    assert message["Subject"] == "Ein gemerkter Kurs beginnt: DSGVO-Grundlagen für Beschäftigte"
    body = message.get_body(("plain",))
    assert body is not None
    assert f"https://courses.example/courses/{published.ids['gdpr']}" in body.get_content()
    assert openings.notify(TODAY) == []  # told already
    later = openings.notify(TODAY + timedelta(days=31))  # the cloud course is now near
    assert [opening.offer.specification_id for opening in later] == [published.ids["cloud"]]


def test_unsaved_or_unpublished_courses_are_never_mailed(
    catalogue: Catalogue, published: Published, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    _save(catalogue, published, "gdpr")
    catalogue.archive(published.ids["gdpr"])
    assert Openings(Finder(catalogue.db), _settings(port)).notify(TODAY) == []
    assert handler.messages == []


def test_cli_reindexes_and_lists_due_openings(
    catalogue: Catalogue, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_DATABASE_URL", catalogue.db.url.render_as_string(False))
    _save(catalogue, published, "gdpr")
    runner = CliRunner()
    reindexed = runner.invoke(cli, ["finder", "reindex"])
    assert reindexed.exit_code == 0, reindexed.output
    assert "6 published course(s)" in reindexed.output
    due = runner.invoke(cli, ["finder", "notify", "--dry-run", "--today", TODAY.isoformat()])
    assert due.exit_code == 0, due.output
    assert f"would tell {LEARNER}" in due.output
    bad = runner.invoke(cli, ["finder", "notify", "--today", "tomorrow"])
    assert bad.exit_code == 2
    assert "--today 'tomorrow' is not a date" in bad.output
