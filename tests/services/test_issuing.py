"""Issuing: a published specification and an award become a signed OB 3.0 credential."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.config import Settings
from microcred.crypto import data_integrity
from microcred.crypto.did_document import key_in_document
from microcred.crypto.jose import verify_vc_jwt
from microcred.formats.ob3 import AwardData
from microcred.services.catalogue import Catalogue, Institution, SpecificationNotFound
from microcred.services.issuer_keys import IssuerKeys
from microcred.services.issuing import CredentialIssuer, IssuingError
from microcred.store.database import Database
from support.examples import example_specification

KEK = bytes(range(32))
BASE_URL = "https://credentials.uni.example"


@pytest.fixture
def keys(database: Database) -> IssuerKeys:
    settings = Settings(database_url=str(database.url), base_url=BASE_URL)
    return IssuerKeys(database, settings, kek=KEK)


@pytest.fixture
def issuer(catalogue: Catalogue, keys: IssuerKeys) -> CredentialIssuer:
    return CredentialIssuer(catalogue, keys, keys.settings)


@pytest.fixture
def published(catalogue: Catalogue, institution: Institution) -> str:
    record = catalogue.create(institution.slug, example_specification())
    return catalogue.publish(record.id).id


@pytest.fixture
def award() -> AwardData:
    return AwardData(
        learner_name="Jana Nowak",
        email="jana.nowak@example.org",
        grade="1.7",
        issued_on=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )


def verify_locally(credential: dict[str, Any], keys: IssuerKeys, slug: str | None) -> list[bool]:
    document = keys.did_document(slug)
    results = data_integrity.verify(
        credential, resolve_key=lambda method: key_in_document(document, method, "assertionMethod")
    )
    return [result.ok for result in results]


def test_published_specification_issues_a_signed_ob3_credential_that_verifies(
    issuer, keys, published, award
):
    credential = issuer.issue_credential(published, None, award)
    assert isinstance(credential, dict)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:credentials.uni.example:institutions:uni-example"
    assert {"@value": "Example University", "@language": "en"} in credential["issuer"]["name"]
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{BASE_URL}/specifications/{published}/versions/1"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert (
        credential["proof"]["verificationMethod"]
        == keys.active_key("uni-example").verification_method
    )
    assert verify_locally(credential, keys, "uni-example") == [True]


def test_changed_credential_no_longer_verifies(issuer, keys, published, award):
    credential = issuer.issue_credential(published, 1, award)
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["result"][0]["value"] = "1.0"
    assert verify_locally(forged, keys, "uni-example") == [False]


def test_vc_jwt_format_gives_a_token_signed_by_the_same_key(issuer, keys, published, award):
    token = issuer.issue_credential(published, None, award, format="vc+jwt")
    assert isinstance(token, str) and token.count(".") == 2
    document = keys.did_document("uni-example")
    payload = verify_vc_jwt(
        token, resolve_key=lambda kid: key_in_document(document, kid, "assertionMethod")
    )
    assert payload["id"] == award.credential_id
    assert payload["issuer"]["id"] == keys.did_web("uni-example")


def test_jcs_suite_signs_as_well(issuer, keys, published, award):
    credential = issuer.issue_credential(published, None, award, suite="eddsa-jcs-2022")
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert verify_locally(credential, keys, "uni-example") == [True]


def test_draft_is_refused_and_no_key_is_made(issuer, keys, catalogue, institution, award):
    draft = catalogue.create(institution.slug, example_specification())
    with pytest.raises(IssuingError, match="version 1 of specification .* is a draft; publish it"):
        issuer.issue_credential(draft.id, 1, award)
    with pytest.raises(SpecificationNotFound, match="published version"):
        issuer.issue_credential(draft.id, None, award)
    assert keys.public_keys(institution.slug) == []


def test_another_institution_cannot_issue_the_specification(issuer, catalogue, published, award):
    catalogue.ensure_institution("other-uni", {"en": "Other University"})
    with pytest.raises(IssuingError, match="belongs to 'uni-example'; 'other-uni' cannot issue"):
        issuer.issue_credential(published, None, award, institution="other-uni")


def test_p256_key_with_an_eddsa_suite_is_refused_clearly_and_ecdsa_works(
    issuer, keys, published, award
):
    keys.ensure_key("uni-example", "P-256")
    with pytest.raises(IssuingError, match="eddsa-rdfc-2022 needs a Ed25519 key, got P-256"):
        issuer.issue_credential(published, None, award)
    credential = issuer.issue_credential(published, None, award, suite="ecdsa-rdfc-2019")
    assert verify_locally(credential, keys, "uni-example") == [True]


def test_unknown_suite_and_format_are_refused_before_anything_happens(
    issuer, keys, published, award
):
    with pytest.raises(IssuingError, match="suite: must be one of .*eddsa-rdfc-2022"):
        issuer.issue_credential(published, None, award, suite="Ed25519Signature2020")
    with pytest.raises(IssuingError, match="format: must be one of ob3-di, vc\\+jwt"):
        issuer.issue_credential(published, None, award, format="pdf")  # type: ignore[arg-type]
    assert keys.public_keys("uni-example") == []


def test_award_missing_a_required_identifier_names_it(issuer, catalogue, institution, award):
    document = example_specification().model_dump(mode="json")
    document["learner_identification"] = {"required": ["full_name", "institutional_id"]}
    spec = type(example_specification()).model_validate(document)
    record = catalogue.publish(catalogue.create(institution.slug, spec).id)
    with pytest.raises(IssuingError, match="award: .*institutional_id"):
        issuer.issue_credential(record.id, None, award)


# --- signing a credential given whole (the VC API) ---


def own_credential(keys: IssuerKeys, **changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:5e9b0f1c-7d0a-4f0e-8a53-1b2f3c4d5e6f",
        "type": ["VerifiableCredential"],
        "issuer": keys.did_web("uni-example"),
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    credential.update(changes)
    return {key: value for key, value in credential.items() if value is not None}


def test_sign_credential_adds_a_proof_that_verifies_and_leaves_the_input_alone(
    issuer, keys, institution
):
    credential = own_credential(keys)
    signed = issuer.sign_credential(credential, "uni-example")
    assert "proof" not in credential
    assert verify_locally(signed, keys, "uni-example") == [True]


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"issuer": None}, "credential.issuer", "is required"),
        ({"issuer": "did:web:elsewhere.example"}, "issuer", "this issuer signs as did:web"),
        (
            {
                "@context": [
                    "https://www.w3.org/ns/credentials/v2",
                    "https://example.org/unknown/v1",
                ]
            },
            "credential.@context",
            "unknown/v1",
        ),
        ({"nickname": "Jay"}, "credential.nickname", "term 'nickname' is not defined"),
        ({"id": "credential-42"}, "credential.id", "must be a single URL"),
        ({"type": ["Badge"]}, "credential.type", "VerifiableCredential"),
        ({"proof": {"type": "DataIntegrityProof"}}, "credential.proof", "already signed"),
    ],
)
def test_bad_credentials_are_refused_with_the_place_to_fix(
    issuer, keys, institution, changes, where, message
):
    with pytest.raises(IssuingError, match=message) as refused:
        issuer.sign_credential(own_credential(keys, **changes), "uni-example")
    assert refused.value.where.startswith(where)


def test_dropped_term_is_refused_for_jcs_too(issuer, keys, institution):
    with pytest.raises(IssuingError, match="term 'nickname'"):
        issuer.sign_credential(
            own_credential(keys, nickname="Jay"), "uni-example", suite="eddsa-jcs-2022"
        )
