"""The recognition officer's pages: open a case from a pasted credential or a learner's share
link, read the proposal and the outcome pairs, decide once, export; officers of the case's
institution only."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from gaps_support import (
    DESIGNER,
    LAHNTAL,
    LEARNER,
    OFFICER,
    OTHER_OFFICER,
    Site,
    app_request,
    form_token,
    sign_in,
)

from api.app_fixtures import api_token
from microcred.crypto.data_integrity import sign
from microcred.http.services import recognition_of, wallet_of
from stacking.stacking_support import OTHER_KEY, other_issuer_credential

CASES = "/recognition/cases"


def _client(app: FastAPI, email: str) -> TestClient:
    return sign_in(TestClient(app), email)


def _open(client: TestClient, site: Site, **fields: str) -> TestClient:
    data = {"institution": LAHNTAL, "target": site.cleaning, **fields}
    data["csrf_token"] = form_token(client, "/recognition")
    return client.post(CASES, data=data, follow_redirects=False)


def _pasted() -> str:
    return json.dumps(
        other_issuer_credential(
            OTHER_KEY,
            title="Data wrangling",
            isced="0613",
            outcomes=["Clean and prepare raw data sets for analysis"],
        )
    )


def _stored_cases(site: Site) -> int:
    return len(recognition_of(app_request(site.app)).cases(LAHNTAL))


def test_officer_opens_a_case_reads_the_proposal_and_decides_once(site: Site) -> None:
    client = _client(site.app, OFFICER)
    opened = _open(client, site, credential=_pasted(), learner="Jana Nowak")
    assert opened.status_code == 303, opened.text
    case_url = opened.headers["location"]

    page = client.get(case_url)
    assert page.status_code == 200
    assert "Data wrangling" in page.text and 'data-testid="proposal"' in page.text
    assert 'data-testid="outcome-pairs"' in page.text
    assert "Clean and prepare raw data sets for analysis" in page.text
    assert 'name="decision"' in page.text

    decision = {"decision": "partial", "ects": "2.5", "note": "Outcomes 1 and 3 only"}
    decision["csrf_token"] = form_token(client, case_url)
    decided = client.post(f"{case_url}/decision", data=decision, follow_redirects=False)
    assert decided.status_code == 303
    shown = client.get(decided.headers["location"]).text
    assert "The decision was recorded." in shown
    assert "Partial recognition" in shown and "2.5 ECTS" in shown
    assert 'name="decision"' not in shown  # decided: no form any more

    again = client.post(f"{case_url}/decision", data={**decision, "decision": "full"})
    assert again.status_code == 422 and "decided already" in again.text
    export = client.get(f"/api/recognition/export?institution={LAHNTAL}&format=csv")
    assert export.status_code == 200
    assert "partial,2.5" in export.text and "Outcomes 1 and 3 only" in export.text


def test_decision_without_a_reason_is_refused_and_the_case_stays_open(site: Site) -> None:
    client = _client(site.app, OFFICER)
    case_url = _open(client, site, credential=_pasted()).headers["location"]
    token = form_token(client, case_url)
    for fields, message in (
        ({"decision": "full", "note": ""}, "give the reason"),
        ({"decision": "full", "ects": "five", "note": "ok"}, "ECTS must be a number"),
        ({"decision": "maybe", "note": "ok"}, "must be full, partial or none"),
    ):
        refused = client.post(f"{case_url}/decision", data={**fields, "csrf_token": token})
        assert refused.status_code == 422 and message in refused.text
    assert 'name="decision"' in client.get(case_url).text


def test_case_from_a_share_link_asks_which_credential_when_it_shares_several(
    site: Site,
) -> None:
    wallet = wallet_of(app_request(site.app))
    first = wallet.import_credential(LEARNER, _pasted(), "file")
    second = wallet.import_credential(
        LEARNER, json.dumps(other_issuer_credential(OTHER_KEY, title="Statistics I")), "file"
    )
    _link, token = wallet.create_share_link(LEARNER, [first.id, second.id], days=7)
    client = _client(site.app, OFFICER)

    asked = _open(client, site, share_link=f"http://testserver/shared/{token}")
    assert asked.status_code == 200
    assert "which one?" in asked.text and "Statistics I" in asked.text
    opened = _open(
        client, site, share_link=f"http://testserver/shared/{token}", credential_id=first.id
    )
    assert opened.status_code == 303, opened.text
    assert "Data wrangling" in client.get(opened.headers["location"]).text


def test_bad_input_is_refused_with_what_to_fix_and_opens_nothing(site: Site) -> None:
    client = _client(site.app, OFFICER)
    for fields, message in (
        ({"credential": "{not json"}, "not valid JSON"),
        ({}, "give a learner"),
        ({"share_link": "http://testserver/shared/mcs_unknown"}, "unknown"),
        ({"credential": _pasted(), "target": "no-such-module"}, "no published module"),
    ):
        refused = _open(client, site, **fields)
        assert refused.status_code == 422, fields
        assert message in refused.text
    tampered = json.loads(_pasted())
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    refused = _open(client, site, credential=json.dumps(tampered))
    assert refused.status_code == 422 and "does not verify" in refused.text
    assert _stored_cases(site) == 0


def test_a_credential_that_could_not_be_checked_is_refused_saying_so(site: Site) -> None:
    client = _client(site.app, OFFICER)
    unchecked = json.loads(_pasted())
    del unchecked["proof"]
    did = "did:web:127.0.0.1%3A1"  # a key this verifier may not fetch: not checked, not forged
    unchecked["issuer"]["id"] = did
    signed = sign(unchecked, OTHER_KEY, suite="eddsa-rdfc-2022", verification_method=f"{did}#k")
    refused = _open(client, site, credential=json.dumps(signed))
    assert refused.status_code == 422
    assert "could not be checked" in refused.text and "does not verify" not in refused.text
    assert _stored_cases(site) == 0


def test_pages_need_a_recognition_officer(site: Site, anonymous: TestClient) -> None:
    to_login = anonymous.get("/recognition", follow_redirects=False)
    assert to_login.status_code == 303 and to_login.headers["location"].startswith("/login")
    for email in (LEARNER, DESIGNER):
        assert _client(site.app, email).get("/recognition").status_code == 403


def test_officer_of_another_institution_sees_no_case_of_ours(site: Site) -> None:
    case_url = _open(_client(site.app, OFFICER), site, credential=_pasted()).headers["location"]
    other = _client(site.app, OTHER_OFFICER)
    assert other.get(case_url).status_code == 404
    token = form_token(other, "/recognition")
    decision = {"decision": "full", "note": "mine now", "csrf_token": token}
    assert other.post(f"{case_url}/decision", data=decision).status_code == 404
    refused = other.post(
        CASES,
        data={
            "institution": LAHNTAL,
            "target": site.cleaning,
            "credential": _pasted(),
            "csrf_token": token,
        },
    )
    assert refused.status_code == 403
    assert _stored_cases(site) == 1
    assert "Data wrangling" not in other.get("/recognition").text
    headers = {"Authorization": f"Bearer {api_token(site.app, OTHER_OFFICER)}"}
    export = other.get(f"/api/recognition/export?institution={LAHNTAL}", headers=headers)
    assert export.status_code == 404


def test_open_without_csrf_token_is_refused(site: Site) -> None:
    client = _client(site.app, OFFICER)
    refused = client.post(
        CASES, data={"institution": LAHNTAL, "target": site.cleaning, "credential": _pasted()}
    )
    assert refused.status_code == 403
    assert _stored_cases(site) == 0
