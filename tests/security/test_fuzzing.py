"""Property tests: no input makes the verifier or the specification API answer 500.

Bounded example counts keep the whole file well under a minute.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, api_token
from microcred.crypto.data_integrity import sign
from microcred.crypto.did_key import did_key_for
from microcred.crypto.jose import b64url_encode
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import encode_public_key
from microcred.security.rate_limits import Limit, RateLimits
from property_profiles import examples
from support.examples import example_specification

FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)
CREDENTIAL_KEYS = st.sampled_from(
    [
        "@context",
        "type",
        "id",
        "issuer",
        "credentialSubject",
        "proof",
        "validFrom",
        "validUntil",
        "credentialStatus",
        "name",
        "verificationMethod",
        "proofValue",
        "cryptosuite",
    ]
)
CREDENTIAL_LIKE = st.dictionaries(CREDENTIAL_KEYS, JSON, max_size=8)
V2 = "https://www.w3.org/ns/credentials/v2"
# Contexts that once crashed the JSON-LD processor, or that a processor may mishandle.
HOSTILE_CONTEXTS = st.sampled_from(
    [
        [V2, {"@vocab": None}],
        [V2, {"@vocab": 5}],
        [V2, {"@base": None, "@vocab": None}],
        [V2, {"name": None}],
        [V2, {"@protected": "yes"}],
        [V2, None],
        [{"@vocab": None}, V2],
        V2,
        [],
    ]
)
DEEP = st.integers(min_value=1, max_value=200).map(lambda depth: _nested(depth))


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


def _credential_with(context: Any, members: dict[str, Any]) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": context,
        "type": ["VerifiableCredential"],
        "issuer": ISSUER_DID,
        "credentialSubject": {"name": "Jana"},
    }
    credential.update(members)
    return credential


ISSUER_DID = "OURS"  # replaced by the institution's DID, so that signing is reached
ENVELOPE_IDS = (
    st.builds(
        lambda media, data: f"data:{media},{data}",
        st.sampled_from(["application/vc+jwt", "application/vc+jwt;base64", "text/plain", ""]),
        st.text(max_size=60) | st.sampled_from(["a.b.c", "eyJhbGciOiJub25lIn0.e30.", "%ZZ"]),
    )
    | JSON
)
ENVELOPED = st.builds(
    lambda id_: {"@context": [V2], "type": "EnvelopedVerifiableCredential", "id": id_},
    ENVELOPE_IDS,
)
CREDENTIALS = (
    JSON
    | ENVELOPED
    | CREDENTIAL_LIKE
    | DEEP
    | st.builds(
        _credential_with,
        HOSTILE_CONTEXTS,
        st.dictionaries(CREDENTIAL_KEYS, JSON | DEEP, max_size=3),
    )
)
EXAMPLE = example_specification().model_dump(mode="json", exclude_none=True)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    app.state.rate_limits = RateLimits(verify=Limit(100_000, 60))
    with TestClient(app, raise_server_exceptions=False) as made:
        made.headers["Authorization"] = f"Bearer {api_token(app, STAFF_EMAIL)}"
        yield made


def no_server_error(response: Any) -> None:
    assert response.status_code < 500, response.text[:2000]


@FUZZ
@given(credential=CREDENTIALS)
def test_the_vc_api_verifier_never_answers_500(client: TestClient, credential: Any) -> None:
    body = {"verifiableCredential": credential, "options": {}}
    no_server_error(client.post("/credentials/verify", json=body))


@FUZZ
@given(presentation=CREDENTIALS, challenge=JSON)
def test_the_presentation_verifier_never_answers_500(
    client: TestClient, presentation: Any, challenge: Any
) -> None:
    body = {"verifiablePresentation": presentation, "options": {"challenge": challenge}}
    no_server_error(client.post("/presentations/verify", json=body))


@FUZZ
@given(credential=CREDENTIALS, options=JSON)
def test_the_vc_api_issuer_never_answers_500(
    client: TestClient, credential: Any, options: Any
) -> None:
    if isinstance(credential, dict) and credential.get("issuer") == ISSUER_DID:
        credential["issuer"] = client.app.state.issuer_keys.issuer_did(INSTITUTION)
    no_server_error(client.post("/credentials/issue", json={"credential": credential}))
    body = {"credential": credential, "options": options}
    no_server_error(client.post("/credentials/issue", json=body))


@FUZZ
@given(body=JSON | DEEP)
def test_the_vc_api_never_answers_500_to_any_json_body(client: TestClient, body: Any) -> None:
    for path in (
        "/credentials/issue",
        "/credentials/verify",
        "/presentations/verify",
        "/credentials/derive",
        "/credentials/status",
    ):
        no_server_error(client.post(path, json=body))


@pytest.fixture
def issued_id(client: TestClient) -> str:
    """Issue a credential with a suspension entry; return its id (so updates reach the lists)."""
    credential = _credential_with(V2, {"id": f"urn:uuid:{uuid.uuid4()}"})
    credential["issuer"] = client.app.state.issuer_keys.issuer_did(INSTITUTION)
    option = {"type": "BitstringStatusList", "statusPurpose": "suspension"}
    body = {"credential": credential, "options": {"credentialStatus": option}}
    response = client.post("/credentials/issue", json=body)
    assert response.status_code == 201, response.text
    return str(credential["id"])


STATUS_ENTRIES = (
    JSON
    | st.fixed_dictionaries(
        {"type": st.sampled_from(["BitstringStatusList", "StatusList2021"]) | JSON},
        optional={"statusPurpose": st.sampled_from(["revocation", "suspension", "message"]) | JSON},
    )
    | st.lists(
        st.fixed_dictionaries(
            {"type": st.just("BitstringStatusListCredential") | JSON},
            optional={"status": st.sampled_from(["revoked", "suspended", "active"]) | JSON},
        ),
        max_size=3,
    )
)


@FUZZ
@given(
    known=st.booleans(),
    other_id=JSON,
    entry=STATUS_ENTRIES,
    status=JSON,
    extra=st.dictionaries(st.sampled_from(["reason", "actor", "statusListIndex"]), JSON),
)
def test_status_updates_never_answer_500(
    client: TestClient,
    issued_id: str,
    known: bool,
    other_id: Any,
    entry: Any,
    status: Any,
    extra: Any,
) -> None:
    body = {"credentialId": issued_id if known else other_id, "credentialStatus": entry}
    body.update(status=status, **extra)
    no_server_error(client.post("/credentials/status", json=body))


@FUZZ
@given(option=STATUS_ENTRIES | st.lists(STATUS_ENTRIES, max_size=3), context=HOSTILE_CONTEXTS)
def test_issuing_with_any_status_option_never_answers_500(
    client: TestClient, option: Any, context: Any
) -> None:
    credential = _credential_with(context, {"id": f"urn:uuid:{uuid.uuid4()}"})
    credential["issuer"] = client.app.state.issuer_keys.issuer_did(INSTITUTION)
    body = {"credential": credential, "options": {"credentialStatus": option}}
    no_server_error(client.post("/credentials/issue", json=body))


POINTERS = (
    st.lists(st.text(alphabet="/~01234credntialSubjectmis", max_size=24), max_size=4)
    | st.lists(st.sampled_from(["/issuer", "/credentialSubject", "/credentialSubject/name"]))
    | JSON
)
SD_HEADERS = st.sampled_from([b"\xd9\x5d\x00", b"\xd9\x5d\x01", b""])
PROOF_VALUES = (
    st.builds(lambda header, tail: "u" + b64url_encode(header + tail), SD_HEADERS, st.binary())
    | st.text(max_size=40)
    | JSON
)


@cache
def sd_base_credential() -> dict[str, Any]:
    """A credential with an ecdsa-sd-2023 base proof by a did:key issuer."""
    key = PrivateKey.generate("P-256")
    did = did_key_for(key.public_key)
    credential = _credential_with(V2, {"issuer": did})
    method = f"{did}#{encode_public_key(key.public_key)}"
    return sign(credential, key, suite="ecdsa-sd-2023", verification_method=method)


@FUZZ
@given(credential=CREDENTIALS, pointers=POINTERS)
def test_deriving_never_answers_500(client: TestClient, credential: Any, pointers: Any) -> None:
    body = {"verifiableCredential": credential, "options": {"selectivePointers": pointers}}
    no_server_error(client.post("/credentials/derive", json=body))
    body["verifiableCredential"] = sd_base_credential()
    no_server_error(client.post("/credentials/derive", json=body))


@FUZZ
@given(proof_value=PROOF_VALUES, pointers=POINTERS)
def test_hostile_sd_proof_values_never_answer_500(
    client: TestClient, proof_value: Any, pointers: Any
) -> None:
    credential = copy.deepcopy(sd_base_credential())
    credential["proof"]["proofValue"] = proof_value
    body = {"verifiableCredential": credential, "options": {"selectivePointers": pointers}}
    no_server_error(client.post("/credentials/derive", json=body))
    no_server_error(client.post("/credentials/verify", json={"verifiableCredential": credential}))


@FUZZ
@given(pointers=POINTERS)
def test_issuing_with_any_mandatory_pointers_never_answers_500(
    client: TestClient, pointers: Any
) -> None:
    keys = client.app.state.issuer_keys
    if keys.ensure_key(INSTITUTION).key_type != "P-256":  # ecdsa-sd-2023 signs with P-256
        keys.rotate(INSTITUTION, "P-256")
    issuer = keys.issuer_did(INSTITUTION)
    body = {
        "credential": _credential_with(V2, {"issuer": issuer}),
        "options": {"cryptosuite": "ecdsa-sd-2023", "mandatoryPointers": pointers},
    }
    no_server_error(client.post("/credentials/issue", json=body))


VC_API_PATHS = (
    "/credentials/issue",
    "/credentials/verify",
    "/presentations/verify",
    "/credentials/derive",
    "/credentials/status",
)
# Numbers JSON allows but no program can hold: a double overflowing to infinity, an integer
# longer than Python converts; each must be a 400 naming the number, never a 500.
HUGE_NUMBERS = ["1e400", "-1e400", "9" * 5000, "-" + "1" * 4301]


@pytest.mark.parametrize("number", HUGE_NUMBERS, ids=["1e400", "-1e400", "5000-digits", "-4301"])
@pytest.mark.parametrize("path", VC_API_PATHS)
def test_huge_numbers_are_refused_as_unreadable(client: TestClient, path: str, number: str):
    document = f'{{"@context": ["{V2}"], "type": ["VerifiableCredential"], "n": {number}}}'
    members = ("credential", "verifiableCredential", "verifiablePresentation")
    fields = [f'"{member}": {document}' for member in members]
    fields += [f'"credentialId": {number}', '"options": {"challenge": "c"}']
    body = "{" + ", ".join(fields) + "}"
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text[:500]
    assert "digits" in response.text or "too large" in response.text


@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_the_verifier_never_answers_500_to_bytes_that_are_not_json(
    client: TestClient, raw: bytes
) -> None:
    headers = {"content-type": "application/json"}
    no_server_error(client.post("/credentials/verify", content=raw, headers=headers))


def mutated_example(draw: st.DrawFn) -> dict[str, Any]:
    """The example specification with some elements replaced by arbitrary JSON, or removed."""
    document = json.loads(json.dumps(EXAMPLE))
    for key in draw(st.lists(st.sampled_from(sorted(document)), max_size=4, unique=True)):
        if draw(st.booleans()):
            del document[key]
        else:
            document[key] = draw(JSON)
    for key, value in draw(st.dictionaries(st.text(max_size=10), JSON, max_size=2)).items():
        document[key] = value
    return document


SPECIFICATIONS = st.composite(mutated_example)()


@FUZZ
@given(specification=SPECIFICATIONS | JSON)
def test_creating_a_specification_never_answers_500(client: TestClient, specification: Any) -> None:
    body = {"institution": INSTITUTION, "specification": specification}
    no_server_error(client.post("/api/specifications", json=body))
    no_server_error(client.post("/api/compliance/check", json=specification))


@FUZZ
@given(
    spec_id=st.text(max_size=60),
    version=st.integers(min_value=-(2**40), max_value=2**40),
    query=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "institution",
                "eqf",
                "ects_min",
                "ects_max",
                "language",
                "status",
                "limit",
                "offset",
                "isced",
                "mode",
            ]
        ),
        st.text(max_size=20),
        max_size=4,
    ),
)
def test_reading_specifications_never_answers_500(
    client: TestClient, spec_id: str, version: int, query: dict[str, str]
) -> None:
    no_server_error(client.get("/api/specifications", params=query))
    segment = quote(spec_id, safe="") or "x"
    no_server_error(client.get(f"/api/specifications/{segment}"))
    no_server_error(client.get(f"/api/specifications/{segment}/versions/{version}"))
    no_server_error(client.get(f"/api/specifications/{segment}/compliance"))


@FUZZ
@given(specification=SPECIFICATIONS)
def test_updating_a_specification_never_answers_500(
    client: TestClient, specification: dict[str, Any]
) -> None:
    created = client.post(
        "/api/specifications", json={"institution": INSTITUTION, "specification": EXAMPLE}
    )
    assert created.status_code == 201, created.text
    spec_id = created.json()["id"]
    no_server_error(client.put(f"/api/specifications/{spec_id}", json=specification))
    no_server_error(client.post(f"/api/specifications/{spec_id}/publish"))
