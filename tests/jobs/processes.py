"""For job tests that run real processes: a database with a published specification and the
environment a ``microcred`` subprocess needs (database, KEK, base URL)."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from microcred.config import Settings
from microcred.crypto.did_document import key_in_document
from microcred.jobs.context import JobContext
from microcred.services.awards import Awards
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer
from microcred.services.status import StatusLists
from microcred.store.awards_tables import AwardRow
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify import verify_credential
from support.examples import example_specification

KEK = bytes(range(32))
BASE_URL = "https://credentials.uni.example"
SLUG = "uni-example"
MICROCRED = [str(Path(sys.executable).parent / "microcred")]


@dataclass
class Setup:
    database: Database
    spec_id: str
    env: dict[str, str]

    def context_with_kek(self) -> JobContext:
        """Return the job services of this test process (sealing keys with the test KEK)."""
        settings = Settings(database_url=str(self.database.url), base_url=BASE_URL)
        keys = IssuerKeys(self.database, settings, kek=KEK)
        issuer = CredentialIssuer(Catalogue(self.database), keys, settings)
        return JobContext(db=self.database, awards=Awards(self.database, issuer, settings))

    def run(self, *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
        url = self.database.url.render_as_string(hide_password=False)
        return subprocess.Popen(
            [*MICROCRED, "--db", url, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **kwargs,
        )

    def awards_count(self) -> int:
        with self.database.transaction(write=False) as session:
            return int(session.scalar(sa.select(sa.func.count(AwardRow.id))) or 0)

    def assert_one_verified_credential_per_learner(self, learners: int) -> None:
        with self.database.transaction(write=False) as session:
            per_learner = session.execute(
                sa.select(AwardRow.learner_email, sa.func.count()).group_by(AwardRow.learner_email)
            ).all()
            documents = session.scalars(sa.select(IssuedCredentialRow.document)).all()
        assert len(per_learner) == learners
        assert {count for _, count in per_learner} == {1}
        assert len(documents) == learners  # no credential without its award
        settings = Settings(database_url=str(self.database.url), base_url=BASE_URL)
        keys = IssuerKeys(self.database, settings, kek=KEK)
        document = keys.did_document(SLUG)

        def resolve(method: str) -> Any:
            return key_in_document(document, method, "assertionMethod")

        fetch = StatusLists(self.database, keys, settings).published.fetcher(lambda url: {})
        for credential in documents:
            report = verify_credential(credential, resolve_key=resolve, fetch_status_list=fetch)
            assert report.verified, [c for c in report.checks if c.status != "ok"]


def published_setup(url: str, tmp_path: Path) -> Setup:
    database = Database(url)
    database.upgrade()
    catalogue = Catalogue(database)
    catalogue.ensure_institution(
        SLUG,
        {"en": "Example University"},
        "http://publications.europa.eu/resource/authority/country/DEU",
    )
    spec_id = catalogue.publish(catalogue.create(SLUG, example_specification()).id).id
    env = {
        **os.environ,
        "MICROCRED_KEK": base64.b64encode(KEK).decode(),
        "MICROCRED_BASE_URL": BASE_URL,
        "MICROCRED_DATABASE_URL": database.url.render_as_string(hide_password=False),
        "MICROCRED_JOB_CHUNK_SIZE": "20",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("MICROCRED_BROKER_URL", None)
    return Setup(database=database, spec_id=spec_id, env=env)
