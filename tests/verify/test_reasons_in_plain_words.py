"""The verify page explains every failure in plain words, in the viewer's language: a tampered,
expired, revoked, unknown-issuer, unknown-vocabulary or garbage credential gets sentences, never
an exception's text, a JSON path or a Python repr, and the German page has no English in it
beyond the names the credential itself gives."""

from __future__ import annotations

import base64
import copy
import html
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from verify_support import unsigned_credential

from microcred.app import create_app
from microcred.config import Settings

TOKEN = "reasons-token-5e1f"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "https://credentials.th-lahntal.example"
ISSUER = "did:web:credentials.th-lahntal.example:institutions:th-lahntal"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# What the credentials themselves name, shown as given, and the names of standards.
NAMES = (
    "Lahntal University of Applied Sciences",
    "TH Lahntal",
    "Jana Nowak",
    "Forged",
    "W3C Verifiable Credential",
)
# Words of English that German text never uses (a German page may still say "Open Badges").
ENGLISH = re.compile(
    r"\b(the|and|not|has|with|cannot|could|(?<!Micro-)credentials?|signature|issuer|revoked|expired|"
    r"valid|proof|document|status list|checked|failed|skipped)\b",
    re.IGNORECASE,
)
# What a person must never read: JSON paths, exception names, Python reprs, raw timestamps,
# the credential's JSON keys.
TECHNICAL = re.compile(
    r"\$\.|Error\b|Exception|Traceback|\bNone\b|\{'|'\w+':|\[\d+\]|"
    r"\d{4}-\d\d-\d\dT\d\d:\d\d|@context|verificationMethod|proofValue|credentialStatus|"
    r"statusListCredential|multibase|base58|JSONDecode|!r"
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("reasons")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROCRED_KEK", base64.b64encode(bytes(range(32))).decode())
        settings = Settings(
            database_url=f"sqlite:///{folder / 'microcred.db'}",
            base_url=BASE,
            secret_key="test-key",
            api_token=TOKEN,
            rate_limit_verify="1000/60",  # a page of failures is more than a visitor's minute
        )
        app = create_app(settings, migrate=True)
        app.state.catalogue.ensure_institution("th-lahntal", {"en": "TH Lahntal"})
        with TestClient(app, base_url=BASE) as client:
            yield client


def issued(client: TestClient, **options: Any) -> dict[str, Any]:
    """Return a credential this installation issued through the VC API."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-03-01T09:30:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Jana Nowak"},
    }
    body = {"credential": credential, "options": options}
    response = client.post("/credentials/issue", json=body, headers=AUTH)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()["verifiableCredential"]
    return made


def revoked(client: TestClient) -> dict[str, Any]:
    status = [{"type": "BitstringStatusList", "statusPurpose": "revocation"}]
    credential = issued(client, credentialStatus=status)
    change = {
        "credentialId": credential["id"],
        "credentialStatus": {"type": "BitstringStatusList", "statusPurpose": "revocation"},
        "status": True,
    }
    assert client.post("/credentials/status", json=change, headers=AUTH).status_code == 200
    return credential


@pytest.fixture(scope="module")
def failing(client: TestClient, issuer_did: str, issuer_key: Any) -> dict[str, str]:
    """Return the text to paste of each kind of credential that does not verify."""
    from microcred.crypto.data_integrity import sign
    from microcred.crypto.did_key import did_key_verification_method_id

    def signed(document: dict[str, Any]) -> dict[str, Any]:
        method = did_key_verification_method_id(issuer_key.public_key)
        return sign(document, issuer_key, verification_method=method, suite="eddsa-rdfc-2022")

    tampered = issued(client)
    tampered["credentialSubject"]["name"] = "Forged"
    expiring = unsigned_credential(issuer_did)
    expiring["validUntil"] = "2025-04-01T00:00:00Z"
    unknown_issuer = signed(unsigned_credential(issuer_did))
    unknown_vocabulary = copy.deepcopy(unknown_issuer)
    unknown_vocabulary["@context"].append("https://vocabulary.example/terms/v1")
    unsigned = {key: value for key, value in unknown_issuer.items() if key != "proof"}
    return {
        "tampered": json.dumps(tampered),
        "expired": json.dumps(signed(expiring)),
        "revoked": json.dumps(revoked(client)),
        "unknown issuer": json.dumps(unknown_issuer),
        "unknown vocabulary": json.dumps(unknown_vocabulary),
        "unsigned": json.dumps(unsigned),
        "damaged JSON": "{not json",
        "not a credential": "[1, 2]",
        "empty object": "{}",
        "binary": "\x00\x01PK\x03\x04",
    }


def shown_text(page: str) -> str:
    """Return the words the page shows about the result: no form, no code names, no names."""
    main = page[page.index("<main") : page.index('aria-labelledby="upload-heading"')]
    main = re.sub(r"<code>.*?</code>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    text = re.sub(r"\b(did:[\w:.%-]+|https?://\S+)", " ", text)  # identifiers are names too
    for name in NAMES:
        text = text.replace(name, " ")
    return re.sub(r"\s+", " ", text)


def verify_page(client: TestClient, lang: str, pasted: str) -> str:
    token = CSRF.search(client.get(f"/verify?lang={lang}").text)
    assert token is not None
    response = client.post("/verify", data={"csrf_token": token.group(1), "credential": pasted})
    assert response.status_code in (200, 422, 424), response.text
    return response.text


def test_every_failure_reads_as_sentences_in_english_and_german(
    client: TestClient, failing: dict[str, str]
) -> None:
    found: dict[str, list[str]] = {}
    for lang in ("en", "de"):
        for kind, pasted in failing.items():
            text = shown_text(verify_page(client, lang, pasted))
            problems = [f"technical: {m.group(0)!r}" for m in TECHNICAL.finditer(text)]
            if lang == "de":
                problems += [f"English: {m.group(0)!r}" for m in ENGLISH.finditer(text)]
            if problems:
                found[f"{lang} {kind}"] = problems + [text[:400]]
    assert found == {}, "\n".join(f"{kind}: {said}" for kind, said in found.items())


@pytest.mark.parametrize(
    ("kind", "english", "german"),
    [
        ("tampered", "changed after it was signed", "nach dem Signieren verändert"),
        ("expired", "expired at 1 Apr 2025, 00:00:00 UTC", "abgelaufen am 01.04.2025"),
        ("revoked", "the issuer has revoked this credential", "hat diesen Nachweis widerrufen"),
        ("unknown vocabulary", "a vocabulary this verifier does not know", "Vokabular"),
        ("damaged JSON", "damaged near line 1, column 2", "Zeile 1, Spalte 2"),
    ],
)
def test_the_reason_says_what_happened(
    client: TestClient, failing: dict[str, str], kind: str, english: str, german: str
) -> None:
    assert english in html.unescape(verify_page(client, "en", failing[kind]))
    assert german in html.unescape(verify_page(client, "de", failing[kind]))


def test_the_api_keeps_the_technical_detail_for_machines(
    client: TestClient, failing: dict[str, str]
) -> None:
    body = {"verifiableCredential": json.loads(failing["tampered"])}
    response = client.post("/credentials/verify", json=body)
    report = response.json()
    assert "checks" in report, response.text
    proof = next(check for check in report["checks"] if check["name"] == "proof")
    assert proof["reason"].startswith("the signature does not match")
    assert "eddsa-rdfc-2022" in proof["details"]["technical"]
