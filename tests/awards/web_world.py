"""The app for the award pages' tests: two institutions, their staff, a published graded
specification of A, a draft of B, and helpers to sign in, post forms and wait for jobs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import add_staff, log_in
from microcred.app import create_app
from microcred.config import Settings
from microcred.domain.specification import GradingScheme, LearnerIdentifier
from microcred.store.awards_tables import AwardRow
from microcred.store.database import Database
from support.examples import example_specification
from waiting import wait_for

A, B = "uni-a", "uni-b"
REGISTRAR_A, DESIGNER_A, REGISTRAR_B = (
    "registrar@a.example",
    "designer@a.example",
    "registrar@b.example",
)
GRADES = ["A", "B", "C", "D", "E"]
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class World:
    app: FastAPI
    spec_a: str  # published, graded A–E, date of birth optional
    draft_b: str  # B's draft only
    spec_b: str  # published, of B


def make_world(database_file: Path) -> World:
    settings = Settings(database_url=f"sqlite:///{database_file}", secret_key="test-key")
    app = create_app(settings, migrate=True)
    catalogue = app.state.catalogue
    for slug in (A, B):
        catalogue.ensure_institution(slug, {"en": f"University {slug[-1].upper()}"})
    add_staff(app, REGISTRAR_A, "registrar", A)
    add_staff(app, DESIGNER_A, "designer", A)
    add_staff(app, REGISTRAR_B, "registrar", B)
    spec = example_specification()
    identification = spec.learner_identification.model_copy(
        update={"optional": [LearnerIdentifier.date_of_birth]}
    )
    graded = spec.model_copy(
        update={
            "grading_scheme": GradingScheme(
                title={"en": "ECTS grades"}, grades=GRADES, pass_grades=GRADES
            ),
            "learner_identification": identification,
        }
    )
    spec_a = catalogue.publish(catalogue.create(A, graded).id).id
    draft_b = catalogue.create(B, spec).id
    spec_b = catalogue.publish(catalogue.create(B, spec).id).id
    return World(app, spec_a, draft_b, spec_b)


def signed_in(app: FastAPI, email: str) -> TestClient:
    """Return a client (started: the job runner runs) signed in as ``email``."""
    client = TestClient(app)
    client.__enter__()
    log_in(client, email)
    return client


def csrf_of(client: TestClient, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200, response.text
    match = _TOKEN.search(response.text)
    assert match, f"{page} has no CSRF field"
    return match.group(1)


def award_count(app: FastAPI) -> int:
    database: Database = app.state.database
    with database.transaction(write=False) as session:
        return int(session.scalar(sa.select(sa.func.count(AwardRow.id))) or 0)


def wait_for_job(client: TestClient, job_path: str, seconds: float = 120) -> str:
    """Poll the job's progress part until it has finished; return the part's HTML."""
    parts: list[str] = []

    def finished() -> bool:
        part = client.get(f"{job_path}/progress")
        assert part.status_code == 200, part.text
        parts.append(part.text)
        return 'data-state="done"' in part.text or 'data-state="failed"' in part.text

    wait_for(finished, seconds, f"{job_path} to finish", interval=0.2)
    return parts[-1]


def count_in(html: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">(\d+)<', html)
    assert match, f"no {testid} count in the page"
    return int(match.group(1))
