"""Which verifications count: our own credentials, checked by our verifier, the verify page or a
public page, whatever the verdict; never another issuer's credential, nor a copy signed by
another key that borrows one of our ids."""

from __future__ import annotations

import copy
import json
import re

import sqlalchemy as sa
from analytics_support import JANA, SLUG, World

from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.keys import PrivateKey
from microcred.services.analytics import Counts, institution_activity
from microcred.store.analytics_tables import VerificationEventRow

OTHER_KEY = PrivateKey.from_secret_bytes("Ed25519", bytes(range(100, 132)))


def events(world: World) -> list[tuple[str, str]]:
    with world.database.transaction(write=False) as session:
        rows = session.execute(sa.select(VerificationEventRow.channel, VerificationEventRow.result))
        return [(channel, result) for channel, result in rows]


def verify_page_post(world: World, pasted: str) -> int:
    page = world.client.get("/verify")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the verify page has no CSRF field"
    answer = world.client.post("/verify", data={"csrf_token": token.group(1), "credential": pasted})
    return answer.status_code


def test_a_revoked_credential_checked_on_the_verify_page_counts_as_failed(world: World) -> None:
    award = world.award(world.part_one, JANA)
    world.issuer.status.revoke(award.credential_id, reason="assessment voided", actor="test")
    assert verify_page_post(world, json.dumps(world.document(award.credential_id))) == 422
    assert events(world) == [("page", "failed")]
    activity = institution_activity(world.database, SLUG)
    assert activity.totals == Counts(issued=1, revoked=1)  # a failed check is not "verified"
    assert {c.channel: c.failed for c in activity.channels}["page"] == 1


def test_another_issuers_credential_is_not_recorded(world: World) -> None:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:6a1b3c9e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": did_key_for(OTHER_KEY.public_key),
        "credentialSubject": {"id": "did:example:someone"},
    }
    signed = sign(
        credential,
        OTHER_KEY,
        suite="eddsa-rdfc-2022",
        verification_method=did_key_verification_method_id(OTHER_KEY.public_key),
    )
    world.client.post("/credentials/verify", json={"verifiableCredential": signed})
    assert events(world) == []


def test_a_copy_of_our_credential_signed_by_another_key_is_not_recorded(world: World) -> None:
    award = world.award(world.part_one, JANA)
    forged = copy.deepcopy(world.document(award.credential_id))
    forged.pop("proof")
    forged["issuer"] = {"id": did_key_for(OTHER_KEY.public_key), "type": ["Profile"]}
    resigned = sign(
        forged,
        OTHER_KEY,
        suite="eddsa-rdfc-2022",
        verification_method=did_key_verification_method_id(OTHER_KEY.public_key),
    )
    answer = world.client.post("/credentials/verify", json={"verifiableCredential": resigned})
    assert answer.json()["verdict"] != "verified"
    assert events(world) == []


def test_input_that_is_not_a_credential_is_not_recorded(world: World) -> None:
    assert world.client.post("/credentials/verify", content=b"not json").status_code == 400
    assert verify_page_post(world, "{}") == 422
    assert events(world) == []
