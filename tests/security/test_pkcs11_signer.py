"""The PKCS#11 (HSM) signer: SoftHSM keys sign credentials that our verifier accepts.

SoftHSM 2.6 (Debian's softhsm2) does Ed25519 (CKM_EDDSA), so both Ed25519 and P-256 are tested.
The token lives in a temporary directory made for this test session (SOFTHSM2_CONF).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from microcred.crypto import data_integrity
from microcred.crypto.keys import ED25519, P256
from microcred.crypto.pkcs11_signer import (
    Pkcs11Config,
    Pkcs11Error,
    Pkcs11Uri,
    generate_pkcs11_key,
    open_pkcs11_key,
)
from microcred.services.issuer_keys import IssuerKeys
from microcred.store.database import Database
from microcred.store.keys_tables import IssuerKeyRow
from security.issued_world import SLUG, issued_world, verify_over_api

TOKEN, PIN = "microcred-test", "24681357"
MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pkcs11Config]:
    """A SoftHSM token initialised in a temporary directory; its config in the environment."""
    module = next((m for m in MODULES if Path(m).exists()), None)
    util = shutil.which("softhsm2-util")
    assert module and util, "install Debian's softhsm2 (make test does: DEBIAN_TEST_PACKAGES)"
    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        subprocess.run(
            [util, "--init-token", "--free", "--label", TOKEN, "--so-pin", "1234", "--pin", PIN],
            check=True,
            capture_output=True,
        )
        patch.setenv("MICROCRED_PKCS11_MODULE", module)
        patch.setenv("MICROCRED_PKCS11_PIN", PIN)
        yield Pkcs11Config(module, PIN)


@pytest.mark.parametrize("algorithm", [ED25519, P256])
def test_an_hsm_key_signs_what_its_public_key_verifies(
    softhsm: Pkcs11Config, algorithm: str
) -> None:
    key = generate_pkcs11_key(f"pkcs11:token={TOKEN};object=raw-{algorithm}", softhsm, algorithm)
    assert key.algorithm == algorithm
    signature = key.sign(b"micro-credential")
    assert len(signature) == 64
    assert key.public_key.verify(signature, b"micro-credential")
    assert not key.public_key.verify(signature, b"micro-credentials")


def test_an_institution_issuing_with_an_hsm_key_issues_credentials_that_verify(
    softhsm: Pkcs11Config, database: Database
) -> None:
    world = issued_world(database)
    uri = f"pkcs11:token={TOKEN};object={SLUG}-ed25519-{database.engine.dialect.name}"
    generate_pkcs11_key(uri, softhsm, ED25519)
    active = IssuerKeys(database, world.settings).use_pkcs11_key(SLUG, uri)
    with database.transaction(write=False) as session:
        row = session.scalars(
            sa.select(IssuerKeyRow).where(
                IssuerKeyRow.verification_method == active.verification_method
            )
        ).one()
        assert row.key_location == uri
        assert row.sealed_private_key == b""  # nothing of an HSM key is in the database
    award = world.award("Jana Nowak", "jana.nowak@example.org")
    document = _document(database, award.credential_id)
    assert document["proof"]["verificationMethod"] == active.verification_method
    status, report = verify_over_api(world.app, document)
    assert status == 200, report


def test_a_p256_hsm_key_signs_an_ecdsa_proof_that_our_verifier_accepts(
    softhsm: Pkcs11Config, database: Database
) -> None:
    world = issued_world(database)
    award = world.award("Luca Bianchi", "luca.bianchi@example.org")  # software key first
    uri = f"pkcs11:token={TOKEN};object={SLUG}-p256-{database.engine.dialect.name}"
    generate_pkcs11_key(uri, softhsm, P256)
    keys = IssuerKeys(database, world.settings)
    keys.use_pkcs11_key(SLUG, uri)
    key, method = keys.signing_key(SLUG)
    assert key.algorithm == P256
    unsigned = {k: v for k, v in _document(database, award.credential_id).items() if k != "proof"}
    signed = data_integrity.sign(unsigned, key, suite="ecdsa-rdfc-2019", verification_method=method)
    status, report = verify_over_api(world.app, signed)
    assert status == 200, report
    signed["credentialSubject"]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    assert verify_over_api(world.app, signed)[0] == 422


def test_the_secret_of_an_hsm_key_cannot_be_read(softhsm: Pkcs11Config) -> None:
    key = generate_pkcs11_key(f"pkcs11:token={TOKEN};object=secret-test", softhsm)
    with pytest.raises(Pkcs11Error, match="lives in an HSM"):
        key.secret_bytes()
    assert PIN not in repr(key)


def test_a_missing_key_or_token_or_setting_is_named(softhsm: Pkcs11Config) -> None:
    with pytest.raises(Pkcs11Error, match="no key labelled 'absent'"):
        open_pkcs11_key(f"pkcs11:token={TOKEN};object=absent", softhsm)
    with pytest.raises(Pkcs11Error, match="no PKCS#11 token is labelled 'other'"):
        open_pkcs11_key("pkcs11:token=other;object=absent", softhsm)
    with pytest.raises(Pkcs11Error, match="must name the token and the key"):
        Pkcs11Uri.parse("pkcs11:object=only")
    with pytest.raises(Pkcs11Error, match="MICROCRED_PKCS11_PIN"):
        Pkcs11Config.checked(softhsm.module, "")


def test_a_pkcs11_uri_reads_percent_escapes() -> None:
    uri = Pkcs11Uri.parse("pkcs11:token=Issuing%20HSM;object=key%3B1;id=%01?pin-value=x")
    assert (uri.token, uri.object) == ("Issuing HSM", "key;1")


def _document(database: Database, credential_id: str) -> dict:  # type: ignore[type-arg]
    from microcred.store.status_tables import IssuedCredentialRow

    with database.transaction(write=False) as session:
        row = session.get(IssuedCredentialRow, credential_id)
        assert row is not None
        return row.document  # type: ignore[no-any-return]
