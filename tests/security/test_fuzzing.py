"""Property tests: no input makes the verifier or the specification API answer 500.

Bounded example counts keep the whole file well under a minute.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app_fixtures import INSTITUTION, STAFF_EMAIL, api_token
from microcred.domain.examples import example_specification
from microcred.security.rate_limits import Limit, RateLimits
from property_profiles import examples

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
CREDENTIALS = (
    JSON
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
    for path in ("/credentials/issue", "/credentials/verify", "/presentations/verify"):
        no_server_error(client.post(path, json=body))


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
