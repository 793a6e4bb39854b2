"""Issuer keys: sealed at rest, one active per institution, rotated without breaking old proofs."""

from __future__ import annotations

import base64
import logging
import os
import stat

import pytest
import sqlalchemy as sa

from microcred.config import Settings
from microcred.crypto import data_integrity
from microcred.crypto.did_document import key_in_document
from microcred.crypto.key_encryption_key import KEK_FILE, install_kek
from microcred.crypto.key_sealing import SealError, open_private_key
from microcred.services.catalogue import Catalogue, Institution, InstitutionNotFound
from microcred.services.issuer_keys import IssuerKeyError, IssuerKeys, NoIssuerKey
from microcred.store.database import Database

KEK = bytes(range(32))
BASE_URL = "https://credentials.uni.example:8443"
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "did:example:placeholder",
    "credentialSubject": {"name": "Jana Nowak"},
}


def issuer_keys(database: Database, base_url: str = BASE_URL, method: str = "web") -> IssuerKeys:
    settings = Settings(database_url=str(database.url), base_url=base_url, issuer_did_method=method)
    return IssuerKeys(database, settings, kek=KEK)


@pytest.fixture
def keys(database: Database, institution: Institution) -> IssuerKeys:
    return issuer_keys(database)


def sealed_blobs(database: Database) -> list[bytes]:
    with database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sealed_private_key FROM issuer_keys"))
        return [bytes(row[0]) for row in rows]


def test_institution_issues_as_path_based_did_web_under_the_base_url(keys):
    key = keys.ensure_key("uni-example")
    assert key.did == "did:web:credentials.uni.example%3A8443:institutions:uni-example"
    assert key.verification_method == f"{key.did}#{key.public_key_multibase}"
    assert key.key_type == "Ed25519" and key.status == "active"
    assert keys.did_web(None) == "did:web:credentials.uni.example%3A8443"


def test_private_key_is_sealed_at_rest_and_opens_only_with_the_kek(keys, database):
    keys.ensure_key("uni-example")
    private_key, _method = keys.signing_key("uni-example")
    [blob] = sealed_blobs(database)
    secret = private_key.secret_bytes()
    assert secret not in blob
    assert base64.b64encode(secret) not in blob and secret.hex().encode() not in blob
    assert open_private_key(blob, KEK).secret_bytes() == secret
    with pytest.raises(SealError, match="does not open with this KEK"):
        open_private_key(blob, bytes(32))


def test_ensure_key_returns_the_same_active_key_every_time(keys):
    first = keys.ensure_key("uni-example")
    assert keys.ensure_key("uni-example") == first
    assert keys.active_key("uni-example") == first
    assert len(keys.public_keys("uni-example")) == 1


def test_database_allows_one_active_key_per_institution(keys, database):
    keys.ensure_key("uni-example")
    copy_active = (
        "INSERT INTO issuer_keys (institution_id, did, verification_method, key_type, "
        "public_key_multibase, sealed_private_key, status, created_at) "
        "SELECT institution_id, did, verification_method || 'x', key_type, public_key_multibase, "
        "sealed_private_key, status, created_at FROM issuer_keys"
    )
    with pytest.raises(sa.exc.IntegrityError), database.engine.begin() as connection:
        connection.execute(sa.text(copy_active))


def test_rotation_keeps_the_old_key_for_assertion_only(keys):
    old = keys.ensure_key("uni-example")
    new = keys.rotate("uni-example", "P-256")
    assert new.key_type == "P-256" and new.status == "active"
    assert [k.verification_method for k in keys.public_keys("uni-example")] == [
        new.verification_method,
        old.verification_method,
    ]
    assert keys.public_keys("uni-example")[1].retired_at is not None
    document = keys.did_document("uni-example")
    assert document["id"] == old.did
    assert document["assertionMethod"] == [new.verification_method, old.verification_method]
    assert document["authentication"] == [new.verification_method]
    assert key_in_document(document, old.verification_method, "assertionMethod")


def test_credential_signed_before_rotation_still_verifies_against_the_new_document(keys):
    keys.ensure_key("uni-example")
    private_key, method = keys.signing_key("uni-example")
    signed = data_integrity.sign(
        CREDENTIAL, private_key, suite="eddsa-rdfc-2022", verification_method=method
    )
    keys.rotate("uni-example")
    document = keys.did_document("uni-example")
    results = data_integrity.verify(
        signed, resolve_key=lambda vm: key_in_document(document, vm, "assertionMethod")
    )
    assert [result.ok for result in results] == [True]
    assert keys.signing_key("uni-example")[1] != method


def test_unknown_institution_is_refused_and_nothing_is_stored(keys, database):
    with pytest.raises(InstitutionNotFound, match="no institution has the slug 'nowhere'"):
        keys.ensure_key("nowhere")
    assert sealed_blobs(database) == []


def test_unsupported_key_type_is_refused_naming_the_choices(keys, database):
    with pytest.raises(IssuerKeyError, match="key type must be Ed25519 or P-256, not 'RSA'"):
        keys.ensure_key("uni-example", "RSA")
    assert sealed_blobs(database) == []


def test_without_a_key_signing_names_the_command_that_makes_one(keys):
    with pytest.raises(NoIssuerKey, match="microcred keys create uni-example"):
        keys.signing_key("uni-example")
    with pytest.raises(NoIssuerKey):
        keys.did_document("uni-example")


def test_instance_has_its_own_key_and_did_document(keys):
    key = keys.ensure_key(None)
    assert key.did == "did:web:credentials.uni.example%3A8443" and key.institution is None
    assert keys.did_document(None)["verificationMethod"][0]["id"] == key.verification_method
    assert keys.issuer_of(key.did) == key
    assert keys.public_keys("uni-example") == []


def test_issuer_of_finds_the_institution_behind_a_did(keys):
    key = keys.ensure_key("uni-example")
    assert keys.issuer_of(key.did) == key
    assert keys.issuer_of("did:web:elsewhere.example") is None


def test_did_key_mode_for_an_offline_deployment(database, institution):
    keys = issuer_keys(database, method="key")
    key = keys.ensure_key("uni-example")
    assert key.did.startswith("did:key:z6Mk")
    assert keys.issuer_did("uni-example") == key.did
    assert keys.signing_key("uni-example")[1] == key.verification_method


def test_changed_base_url_refuses_signing_and_says_to_rotate(database, institution):
    issuer_keys(database).ensure_key("uni-example")
    moved = issuer_keys(database, base_url="https://new.uni.example")
    with pytest.raises(IssuerKeyError, match="microcred keys rotate uni-example"):
        moved.signing_key("uni-example")
    rotated = moved.rotate("uni-example")
    assert rotated.did == "did:web:new.uni.example:institutions:uni-example"
    assert moved.signing_key("uni-example")[1] == rotated.verification_method


def test_public_export_has_no_private_part(keys):
    keys.ensure_key("uni-example")
    keys.rotate("uni-example", "P-256")
    jwks = [key.public_jwk() for key in keys.public_keys("uni-example")]
    assert [jwk["crv"] for jwk in jwks] == ["P-256", "Ed25519"]
    assert all("d" not in jwk for jwk in jwks)
    assert jwks[0]["kid"].endswith(keys.active_key("uni-example").public_key_multibase)


def test_secrets_never_reach_repr_or_logs(keys, caplog):
    caplog.set_level(logging.DEBUG)
    keys.ensure_key("uni-example")
    private_key, _ = keys.signing_key("uni-example")
    keys.rotate("uni-example")
    secret = private_key.secret_bytes()
    shown = caplog.text + repr(keys) + repr(private_key) + str(private_key)
    shown += repr(keys.public_keys("uni-example")) + repr(keys.settings)
    for form in (secret.hex(), base64.b64encode(secret).decode(), base64.b64encode(KEK).decode()):
        assert form not in shown


def test_missing_kek_makes_a_private_install_file_once_and_logs_only_its_path(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    kek = install_kek(tmp_path, environ={})
    path = tmp_path / KEK_FILE
    assert len(kek) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path) in caplog.text and "back it up" in caplog.text
    assert base64.b64encode(kek).decode() not in caplog.text
    caplog.clear()
    assert install_kek(tmp_path, environ={}) == kek
    assert caplog.text == ""


def test_kek_from_the_environment_wins_over_the_install_file(tmp_path):
    kek = os.urandom(32)
    assert install_kek(tmp_path, {"MICROCRED_KEK": base64.b64encode(kek).decode()}) == kek
    assert not (tmp_path / KEK_FILE).exists()


def test_keys_without_any_kek_use_the_install_file_in_the_data_dir(
    database, institution, tmp_path, monkeypatch
):
    monkeypatch.delenv("MICROCRED_KEK", raising=False)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)
    settings = Settings(database_url=str(database.url), base_url=BASE_URL)
    keys = IssuerKeys(database, settings, data_dir=tmp_path)
    keys.ensure_key("uni-example")
    [blob] = sealed_blobs(database)
    assert open_private_key(blob, install_kek(tmp_path, environ={}))


def test_catalogue_institutions_share_the_database(catalogue: Catalogue, keys: IssuerKeys):
    catalogue.ensure_institution("second-uni", {"en": "Second University"})
    assert keys.ensure_key("second-uni").did.endswith(":institutions:second-uni")
    assert keys.ensure_key("uni-example").did != keys.ensure_key("second-uni").did
