"""``microcred demo``: the demo catalogue is seeded once, however often the command runs."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from click.testing import Result

from microcred.cli.demo import served_base_url
from microcred.domain.compliance import check
from microcred.services.catalogue import Catalogue, CatalogueQuery, SpecificationRecord
from microcred.services.delivery.outbox import DEMO_OUTBOX
from microcred.services.demo import demo_entries, demo_institutions, seed_demo
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow

Invoke = Callable[..., Result]


@pytest.fixture
def seeded(db_url: str) -> Catalogue:
    catalogue = Catalogue(Database(db_url))
    seed_demo(catalogue)
    return catalogue


def all_records(catalogue: Catalogue) -> dict[str, SpecificationRecord]:
    records = catalogue.search(CatalogueQuery(limit=1000))
    return {record.specification.title["en"]: record for record in records}


def test_demo_without_serving_twice_gives_the_same_catalogue(
    invoke: Invoke, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROCRED_BASE_URL", raising=False)
    kept = DEMO_OUTBOX.messages()
    mark = kept[0].id if kept else 0
    first = invoke("--db", db_url, "demo", "--no-serve", "--host", "0.0.0.0", "--port", "8765")
    assert first.exit_code == 0, first.output
    # Every link the demo e-mails, and every DID it issues as, is of the address it serves on.
    sent = [m.text + m.html for m in DEMO_OUTBOX.messages() if m.id > mark]
    assert sent and all("http://127.0.0.1:8765/" in text for text in sent)
    assert not any(":8000" in text for text in sent)
    with Database(db_url).transaction(write=False) as session:
        issuers = {row.document["issuer"]["id"] for row in session.query(IssuedCredentialRow)}
    assert issuers and all(i.startswith("did:web:127.0.0.1%3A8765:") for i in issuers)
    listing_once = invoke("--db", db_url, "spec", "list").stdout
    second = invoke("--db", db_url, "demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert "0 specification(s) added" in second.stdout
    listing_twice = invoke("--db", db_url, "spec", "list").stdout
    count = re.search(r"(\d+) specification\(s\)$", listing_twice.strip())
    assert count is not None and int(count.group(1)) == len(demo_entries())
    assert listing_once == listing_twice


def test_demo_migrates_a_fresh_database_itself(invoke: Invoke, tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/fresh.db"
    result = invoke("--db", url, "demo", "--no-serve")
    assert result.exit_code == 0, result.output
    assert f"{len(demo_entries())} specification(s) added" in result.stdout


def test_seeding_twice_creates_nothing_the_second_time(seeded: Catalogue) -> None:
    again = seed_demo(seeded)
    assert again.created == []
    assert len(again.existing) == len(demo_entries())


def test_demo_has_at_least_eight_micro_credentials_from_different_fields(
    seeded: Catalogue,
) -> None:
    records = all_records(seeded)
    assert len(records) >= 8
    fields = {record.specification.isced_f[0] for record in records.values()}
    assert len(fields) >= 8


def test_demo_institutions_span_four_eu_countries_and_a_non_university(
    seeded: Catalogue,
) -> None:
    institutions = seeded.list_institutions()
    assert len({i.country for i in institutions}) >= 4
    assert any(not i.is_higher_education for i in institutions)
    assert {i.slug for i in institutions} == {i.slug for i in demo_institutions()}


def test_demo_publishes_what_it_marks_published_and_nothing_is_refused(db_url: str) -> None:
    result = seed_demo(Catalogue(Database(db_url)))
    assert result.refused == {}
    published = {r.specification.title["en"] for r in result.records if r.status == "published"}
    assert published == {
        "Data Literacy for Public Administration",
        "Sustainable Supply Chains",
        "Artificial Intelligence for Healthcare Professionals",
        "Digital Teaching in Higher Education",
        "Accessible Web Publishing for Communication Officers",
    }


@pytest.mark.parametrize(
    ("title", "rule", "severity"),
    [
        ("Conservation of Historic Plaster and Frescoes", "MC-M11", "error"),
        ("Green Building Retrofit for Tradespeople", "MC-M09", "error"),
        ("Postgraduate Certificate in Cybersecurity Management", "MC-X02", "warning"),
        ("Regenerative Agriculture for Farm Advisers", "MC-M08", "warning"),
        ("Digital micro-credential creation", "MC-M11", "error"),
    ],
)
def test_demo_drafts_carry_the_gaps_they_were_written_with(
    seeded: Catalogue, title: str, rule: str, severity: str
) -> None:
    record = all_records(seeded)[title]
    assert record.status == "draft"
    report = check(record.specification)
    assert (rule, severity) in {(issue.rule, issue.severity) for issue in report.issues_for("eu")}


def test_demo_prints_the_learner_and_officer_and_issues_its_credentials_once(
    invoke: Invoke, db_url: str
) -> None:
    first = invoke("--db", db_url, "demo", "--no-serve")
    assert first.exit_code == 0, first.output
    assert "anna.schmidt@learner.example" in first.stdout
    assert "recognition-officer@uni-kaltenbach.example" in first.stdout
    assert "Demo awards: 6 credential(s) issued, 0 already present" in first.stdout
    assert "stacked credential awarded 1 time(s)" in first.stdout
    second = invoke("--db", db_url, "demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert "Demo awards: 0 credential(s) issued, 6 already present" in second.stdout
    assert "stacked credential awarded 1 time(s)" in second.stdout


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::", 9001, "http://[::1]:9001"),
        ("demo.example", 80, "http://demo.example:80"),
    ],
)
def test_the_demo_serves_its_links_on_the_address_it_listens_on(
    monkeypatch: pytest.MonkeyPatch, host: str, port: int, expected: str
) -> None:
    monkeypatch.delenv("MICROCRED_BASE_URL", raising=False)
    assert served_base_url(host, port) == expected


def test_a_configured_base_url_wins_over_the_listening_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MICROCRED_BASE_URL", "https://demo.uni.example")
    assert served_base_url("0.0.0.0", 9000) == "https://demo.uni.example"
