"""Issuing an EDC through the issuing service: the institution's stored seal, refusals, CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.config import Settings
from microcred.crypto import jades
from microcred.formats.ob3 import AwardData
from microcred.services.catalogue import Catalogue
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer, IssuingError
from microcred.services.seal_certificates import SealCertificates
from microcred.store.database import Database
from microcred.verify import verify_credential
from support.examples import example_specification

KEK = bytes(range(32))
GERMANY = "http://publications.europa.eu/resource/authority/country/DEU"


@pytest.fixture
def setup(database: Database, catalogue: Catalogue) -> tuple[CredentialIssuer, SealCertificates]:
    settings = Settings(database_url=str(database.url), base_url="https://credentials.uni.example")
    catalogue.ensure_institution("uni-example", {"en": "Example University"}, GERMANY)
    seals = SealCertificates(database, settings, kek=KEK)
    keys = IssuerKeys(database, settings, kek=KEK)
    issuer = CredentialIssuer(catalogue, keys, settings, seals=seals)
    return issuer, seals


@pytest.fixture
def published(catalogue: Catalogue, setup) -> str:
    record = catalogue.create("uni-example", example_specification())
    return catalogue.publish(record.id).id


AWARD = AwardData(learner_name="Jana Nowak", grade="1.7", issued_on=datetime.now(UTC))


def test_published_specification_issues_a_sealed_edc_with_the_stored_test_seal(setup, published):
    issuer, seals = setup
    info, root = seals.create_test("uni-example")
    assert info.is_test and info.organisation_identifier == "TEST-DE-uni-example"
    sealed = issuer.issue_credential(published, None, AWARD, format="edc")
    assert isinstance(sealed, dict) and jades.is_jades(sealed)
    report = verify_credential(sealed, seal_roots=[root])
    assert report.check("seal").status == "ok"
    assert report.check("format").status == "ok"
    assert "TEST-DE-uni-example" in sealed["payload"]  # the issuer's eIDAS identifier
    credential_id = json.loads(sealed["payload"])["id"]
    assert issuer.status.status_of(credential_id) is not None  # stored like any credential


def test_without_a_seal_certificate_the_error_names_the_command(setup, published):
    issuer, _ = setup
    with pytest.raises(IssuingError, match="microcred edc seal-cert create-test uni-example"):
        issuer.issue_credential(published, None, AWARD, format="edc")


def test_a_new_certificate_replaces_the_active_one(setup):
    _, seals = setup
    first, _ = seals.create_test("uni-example")
    second, _ = seals.create_test("uni-example", organisation_identifier="NTRDE-HRB1")
    assert seals.active("uni-example").organisation_identifier == "NTRDE-HRB1"
    assert first.chain_pem != second.chain_pem


def test_cli_create_test_writes_the_test_root(database, catalogue, tmp_path, monkeypatch):
    catalogue.ensure_institution("uni-example", {"en": "Example University"}, GERMANY)
    monkeypatch.setenv("MICROCRED_KEK", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    root = tmp_path / "root.pem"
    result = CliRunner().invoke(
        app,
        ["--db", str(database.url), "edc", "seal-cert", "create-test", "uni-example"]
        + ["--root-out", str(root)],
    )
    assert result.exit_code == 0, result.output
    assert "TEST" in result.output and root.read_bytes().startswith(b"-----BEGIN CERTIFICATE")


def test_cli_unknown_institution_is_refused_naming_it(database: Database):
    result = CliRunner().invoke(
        app, ["--db", str(database.url), "edc", "seal-cert", "create-test", "nobody"]
    )
    assert result.exit_code == 1
    assert "nobody" in result.output
