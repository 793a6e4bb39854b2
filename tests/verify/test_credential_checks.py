"""Verifying a credential: each named check, and the verdict it adds up to."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from verify_support import CHECKED_AT, explained, unsigned_credential

from microcred.crypto.compiled.shape import MAX_DEPTH as SHAPE_MAX_DEPTH
from microcred.crypto.did_key import did_key_verification_method_id
from microcred.crypto.jose import issue_vc_jwt
from microcred.crypto.keys import PrivateKey
from microcred.status.fetching import StatusListUnavailable
from microcred.verify import CheckStatus, Verdict, verify_credential
from microcred.verify.parse import MAX_DEPTH, Unparseable, check_shape


def statuses(report):
    return {check.name: check.status for check in report.checks}


def test_intact_credential_from_a_trusted_issuer_is_verified(credential, trust, no_network):
    report = verify_credential(credential, now=CHECKED_AT, trust=trust)
    assert report.verdict == Verdict.verified and report.verified
    assert [c.name for c in report.checks] == [
        "parse", "contexts", "data_model", "safe_mode", "proof", "issuer_binding",
        "status", "validity", "issuer_trust", "eu_profile",
    ]  # fmt: skip
    assert statuses(report)["status"] == CheckStatus.skipped
    assert report.check("status").reason == "the credential names no status list"
    assert report.check("eu_profile").status == CheckStatus.ok


def test_intact_credential_from_an_unknown_issuer_reads_as_untrusted_not_forged(credential):
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.verdict == Verdict.verified_untrusted_issuer
    assert report.check("issuer_trust").status == CheckStatus.untrusted
    assert report.check("proof").status == CheckStatus.ok
    assert report.failed_check is None
    assert "not in the trusted-issuer registry" in report.summary


def test_credential_given_as_json_text_or_bytes_verifies(credential, trust):
    text = json.dumps(credential, ensure_ascii=False)
    for given in (text, text.encode("utf-8")):
        assert verify_credential(given, now=CHECKED_AT, trust=trust).verdict == Verdict.verified


def test_changed_learning_outcome_fails_proof_check(credential, trust):
    credential["credentialSubject"]["achievement"]["name"] = "Advanced Data Literacy"
    report = verify_credential(credential, now=CHECKED_AT, trust=trust)
    assert report.verdict == Verdict.failed and report.failed_check == "proof"
    assert "does not match" in explained(report.check("proof"))
    assert report.check("issuer_trust").status == CheckStatus.skipped


def test_credential_signed_by_another_key_in_the_issuers_name_fails_issuer_binding(
    issuer_did, sign_as, trust
):
    forger = PrivateKey.from_secret_bytes("Ed25519", b"\x07" * 32)
    forged = sign_as(unsigned_credential(issuer_did), key=forger)
    report = verify_credential(forged, now=CHECKED_AT, trust=trust)
    assert report.check("proof").status == CheckStatus.ok  # the signature itself is sound
    assert report.failed_check == "issuer_binding"
    assert f"someone other than the issuer {issuer_did}" in report.check("issuer_binding").reason
    assert report.check("issuer_trust").status == CheckStatus.skipped  # no proven issuer
    assert report.verdict == Verdict.failed and not report.verified


def test_credential_signed_by_its_issuers_key_is_bound_to_the_issuer(credential, issuer_did):
    report = verify_credential(credential, now=CHECKED_AT)
    binding = report.check("issuer_binding")
    assert binding.status == CheckStatus.ok
    assert binding.details == {"issuer": issuer_did}


def test_https_issuer_with_a_did_key_proof_reads_proof_ok_but_issuer_not_proven(
    issuer_did, sign_as
):
    # As in the W3C test vectors: an https issuer, a did:key verification method.
    document = unsigned_credential(issuer_did)
    document["issuer"]["id"] = "https://vc.example/issuers/5678"
    report = verify_credential(sign_as(document), now=CHECKED_AT)
    assert report.check("proof").status == CheckStatus.ok
    binding = report.check("issuer_binding")
    assert binding.status == CheckStatus.failed
    assert binding.details["signers"] == [issuer_did]
    assert report.verdict == Verdict.failed
    assert report.summary.startswith("failed: issuer_binding: the signature is sound, but it")


def test_vc_jwt_signed_by_another_key_fails_issuer_binding_not_proof(issuer_did):
    forger = PrivateKey.from_secret_bytes("Ed25519", b"\x07" * 32)
    method = did_key_verification_method_id(forger.public_key)
    token = issue_vc_jwt(unsigned_credential(issuer_did), forger, kid=method)
    report = verify_credential(token, now=CHECKED_AT)
    assert report.check("proof").status == CheckStatus.ok
    assert report.failed_check == "issuer_binding"


def test_credential_without_a_proof_fails_proof_check(issuer_did, trust):
    report = verify_credential(unsigned_credential(issuer_did), now=CHECKED_AT, trust=trust)
    assert report.failed_check == "proof"
    assert "no proof" in explained(report.check("proof"))


def test_proof_set_verifies_only_when_every_proof_does(credential, sign_as, trust):
    both = sign_as(credential, suite="eddsa-jcs-2022")
    assert verify_credential(both, now=CHECKED_AT, trust=trust).verdict == Verdict.verified
    broken = copy.deepcopy(both)
    broken["proof"][1]["proofValue"] = broken["proof"][0]["proofValue"]
    report = verify_credential(broken, now=CHECKED_AT, trust=trust)
    assert report.failed_check == "proof"
    assert "eddsa-jcs-2022" in explained(report.check("proof"))


def test_vc_jwt_credential_verifies_and_a_changed_payload_fails(issuer_did, issuer_key, trust):
    token = issue_vc_jwt(
        unsigned_credential(issuer_did),
        issuer_key,
        kid=did_key_verification_method_id(issuer_key.public_key),
    )
    report = verify_credential(token, now=CHECKED_AT, trust=trust)
    assert report.verdict == Verdict.verified
    assert report.check("parse").details["format"] == "vc+jwt"
    header, payload, signature = token.split(".")
    forged = {**unsigned_credential(issuer_did), "name": "Forged"}
    other = issue_vc_jwt(forged, issuer_key, kid="x").split(".")[1]
    report = verify_credential(f"{header}.{other}.{signature}", now=CHECKED_AT, trust=trust)
    assert report.failed_check == "proof"
    assert "vc+jwt" in explained(report.check("proof"))


def test_expired_credential_fails_validity(issuer_did, sign_as, trust):
    credential = sign_as(
        unsigned_credential(issuer_did, valid_until=datetime(2025, 5, 1, tzinfo=UTC))
    )
    report = verify_credential(credential, now=CHECKED_AT, trust=trust)
    assert report.failed_check == "validity"
    assert report.check("validity").reason == "expired at 2025-05-01T00:00:00Z"
    assert report.check("proof").status == CheckStatus.ok


def test_credential_not_yet_valid_fails_validity(credential, trust):
    report = verify_credential(credential, now=datetime(2024, 1, 1, tzinfo=UTC), trust=trust)
    assert report.failed_check == "validity"
    assert report.check("validity").reason.startswith("not valid before 2025-03-01")


def test_credential_status_whose_list_is_unreachable_is_unknown_not_revoked(
    issuer_did, sign_as, trust
):
    unsigned = unsigned_credential(issuer_did)
    unsigned["credentialStatus"] = {
        "id": "https://www.th-lahntal.example/status/1#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://www.th-lahntal.example/status/1",
    }

    def unreachable(url: str) -> dict[str, Any]:
        raise StatusListUnavailable(f"{url} could not be fetched: ConnectError")

    report = verify_credential(
        sign_as(unsigned), now=CHECKED_AT, trust=trust, fetch_status_list=unreachable
    )
    assert report.check("status").status == CheckStatus.indeterminate
    assert report.verdict == Verdict.indeterminate
    assert report.check("status").details["state"] == "unknown"
    assert report.check("status").reason.startswith("the issuer's status list could not be")
    assert report.check("status").details["technical"].startswith("status unknown:")


def test_missing_eu_element_is_a_warning_not_a_forgery(issuer_did, sign_as, trust):
    unsigned = unsigned_credential(issuer_did)
    del unsigned["credentialSubject"]["achievement"]["assessment"]
    report = verify_credential(sign_as(unsigned), now=CHECKED_AT, trust=trust)
    assert report.verdict == Verdict.verified
    assert report.check("eu_profile").status == CheckStatus.warning
    assert "MC-M09" in explained(report.check("eu_profile"))


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (
            '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["Verifi',
            "not valid JSON",
        ),
        ("[1, 2, 3]", "expected a JSON object, got an array"),
        ('"just a string"', "expected a JSON object, got a string"),
        ('{"a": 1, "a": 2}', "the key 'a' appears twice"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ("", "the input is empty"),
        (b"\xff\xfe{}", "This is not a credential"),
        (42, "expected a JSON object or a vc+jwt string, got int"),
        ("x" * (1024 * 1024 + 1), "larger than 1,048,576 bytes"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels"),
        ('{"a":' * 70 + "1" + "}" * 70, "nested deeper than 64 levels"),
    ],
    ids=[
        "truncated",
        "array",
        "string",
        "duplicate-key",
        "nan",
        "empty",
        "not-utf8",
        "number",
        "oversized",
        "deep-array",
        "deep-object",
    ],  # fmt: skip
)
def test_unreadable_input_fails_parse_with_a_reason(given, reason, no_network):
    report = verify_credential(given, now=CHECKED_AT)
    assert report.verdict == Verdict.failed and report.failed_check == "parse"
    assert reason in explained(report.check("parse"))
    assert all(c.status == CheckStatus.skipped for c in report.checks[1:])


def test_unknown_context_fails_without_a_download(credential, no_network):
    credential["@context"].append("https://attacker.example/context.jsonld")
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.failed_check == "contexts"
    assert "https://attacker.example/context.jsonld" in explained(report.check("contexts"))
    assert report.check("proof").status == CheckStatus.skipped


def test_a_context_changed_in_a_shape_seen_before_is_refused(credential, no_network):
    # Context URLs are found once per document shape; a shape keeps its contexts' values.
    assert verify_credential(credential, now=CHECKED_AT).check("contexts").status == "ok"
    changed = copy.deepcopy(credential)
    changed["@context"][-1] = "https://attacker.example/context.jsonld"
    report = verify_credential(changed, now=CHECKED_AT)
    assert report.failed_check == "contexts"
    assert "https://attacker.example/context.jsonld" in explained(report.check("contexts"))


def test_the_shape_reader_and_the_depth_walk_draw_one_limit():
    # check_shape accepts what the (C) shape reader reads: its limit must not be looser.
    assert SHAPE_MAX_DEPTH == MAX_DEPTH

    def nested(levels: int, innermost: Any) -> dict[str, Any]:
        document = {"a": innermost}
        for _ in range(levels):
            document = {"a": document}
        return document

    check_shape(nested(63, 1))  # a value 64 levels down: accepted
    check_shape(nested(63, {}))  # an empty object there: the reader refuses, the walk accepts
    with pytest.raises(Unparseable, match="nested deeper than 64 levels"):
        check_shape(nested(64, 1))


def test_unknown_context_nested_in_the_subject_fails(credential, no_network):
    credential["credentialSubject"]["@context"] = "https://attacker.example/nested"
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.failed_check == "contexts"


def test_undefined_term_added_after_signing_fails_safe_mode(credential, trust, no_network):
    credential["credentialSubject"]["grade"] = "A+"
    report = verify_credential(credential, now=CHECKED_AT, trust=trust)
    assert report.check("safe_mode").status == CheckStatus.failed
    assert "'grade'" in explained(report.check("safe_mode"))
    assert report.check("safe_mode").details["path"] == "$.credentialSubject.grade"
    assert report.verdict == Verdict.failed


def test_relative_subject_id_fails_safe_mode(credential):
    credential["credentialSubject"]["id"] = "learner-42"
    report = verify_credential(credential, now=CHECKED_AT)
    assert "not an absolute IRI" in explained(report.check("safe_mode"))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c.update(issuer=42), "$.issuer must be a URL, or an object whose id is a URL"),
        (
            lambda c: c.update(type="OpenBadgeCredential"),
            "$.type must include VerifiableCredential",
        ),
        (lambda c: c.pop("credentialSubject"), "$.credentialSubject is required"),
        (
            lambda c: c.update(validFrom="1 March 2025"),
            "$.validFrom must be an XML Schema dateTimeStamp",
        ),
        (lambda c: c.update(validFrom="2025-03-01T09:30:00"), "and a time zone"),
        (lambda c: c["issuer"].pop("type"), "$.issuer.type is required"),
        (lambda c: c.pop("name"), "$.name is required"),
        (
            lambda c: c["credentialSubject"]["achievement"].pop("criteria"),
            "$.credentialSubject.achievement.criteria is required",
        ),
        (
            lambda c: c["credentialSubject"]["achievement"].update(criteria={}),
            "criteria needs an id or a narrative",
        ),
        (
            lambda c: c["credentialSubject"].update(type=["Person"]),
            "$.credentialSubject.type must be a type list with AchievementSubject",
        ),
        (
            lambda c: c.update(
                {"@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]}
            ),
            "$.@context https://www.w3.org/ns/credentials/v2 must be the first entry",
        ),
    ],
    ids=[
        "issuer-number",
        "type-string",
        "no-subject",
        "date-words",
        "date-no-zone",
        "profile-type",
        "no-name",
        "no-criteria",
        "empty-criteria",
        "subject-type",
        "context-order",
    ],  # fmt: skip
)
def test_wrong_shape_fails_data_model(issuer_did, change, problem, no_network):
    credential = unsigned_credential(issuer_did)
    change(credential)
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.check("data_model").status == CheckStatus.failed
    assert problem in explained(report.check("data_model"))
    assert report.verdict == Verdict.failed


def test_vc_1_1_credential_needs_issuance_date(no_network):
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:learner"},
    }
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.check("data_model").details["technical"] == (
        "$.issuanceDate is required (an XML Schema date-time)"
    )
    credential["issuanceDate"] = "2020-01-01T00:00:00Z"
    credential["expirationDate"] = "2021-01-01T00:00:00Z"
    report = verify_credential(credential, now=CHECKED_AT)
    assert report.check("data_model").status == CheckStatus.ok
    assert report.check("validity").reason == "expired at 2021-01-01T00:00:00Z"


def test_unexpected_shapes_inside_the_proof_give_a_failed_check_not_an_exception(credential):
    for proof in (
        ["not an object"],
        {"type": 5},
        {"type": "DataIntegrityProof", "cryptosuite": []},
    ):
        credential["proof"] = proof
        report = verify_credential(credential, now=CHECKED_AT)
        assert report.verdict == Verdict.failed
        # The data model check sees these shapes first; the proof check then waits for it.
        assert report.failed_check in ("data_model", "proof")
        assert not any("could not be checked" in check.reason for check in report.checks)


def _proof_by_a_remote_key(document: dict[str, Any]) -> dict[str, Any]:
    document["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": "did:web:issuer.example#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + "1" * 80,
    }
    return document


def _unreachable_keys(asked: list[str]) -> Any:
    def resolve_key(method_id: str) -> Any:
        asked.append(method_id)
        raise LookupError(f"{method_id} could not be fetched")

    return resolve_key


def test_no_remote_key_is_resolved_before_the_local_checks_pass(issuer_did, no_network):
    document = _proof_by_a_remote_key(unsigned_credential(issuer_did))
    del document["credentialSubject"]  # the structure check fails
    asked: list[str] = []
    report = verify_credential(document, now=CHECKED_AT, resolve_key=_unreachable_keys(asked))
    assert report.check("data_model").status == CheckStatus.failed
    assert report.check("proof").status == CheckStatus.skipped
    assert asked == []


def test_a_remote_key_is_resolved_once_the_local_checks_pass(issuer_did, no_network):
    document = _proof_by_a_remote_key(unsigned_credential(issuer_did))
    asked: list[str] = []
    report = verify_credential(document, now=CHECKED_AT, resolve_key=_unreachable_keys(asked))
    assert report.check("data_model").status == CheckStatus.ok
    assert report.check("proof").status == CheckStatus.failed
    assert asked == ["did:web:issuer.example#key-1"]


def test_no_status_list_is_fetched_for_a_forged_credential(issuer_did, sign_as, no_network):
    unsigned = unsigned_credential(issuer_did)
    unsigned["credentialStatus"] = {
        "id": "https://attacker.example/status/1#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": "https://attacker.example/status/1",
    }
    forged = sign_as(unsigned)
    forged["name"] = "Changed after signing"
    report = verify_credential(forged, now=CHECKED_AT)
    assert report.failed_check == "proof"
    assert report.check("status").status == CheckStatus.skipped
