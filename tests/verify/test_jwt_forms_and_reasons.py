"""Open Badges 3.0 JWTs (typ JWT or none, the issuer's key embedded as jwk) and the EU-profile
reason whose count agrees with the problems it lists."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from verify_support import CHECKED_AT, explained, unsigned_credential

from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.jose import sign_jws
from microcred.crypto.keys import PrivateKey
from microcred.formats.baking import bake_svg
from microcred.verify import CheckStatus, Verdict, verify_credential
from microcred.verify.eu_profile import problems_summary


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ob3_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """Return the JWT claims Open Badges 3.0 puts around a credential (the VC 1.1 JWT form)."""
    return {"vc": credential, "iss": credential["issuer"]["id"], "nbf": 1740821400, "jti": "x"}


def rsa_jwt(credential: dict[str, Any], key: rsa.RSAPrivateKey, **header: Any) -> str:
    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "e": b64url(numbers.e.to_bytes(3, "big")),
        "n": b64url(numbers.n.to_bytes(256, "big")),
    }
    head = {"alg": "RS256", "typ": "JWT", "jwk": jwk, **header}
    parts = [b64url(json.dumps(part).encode()) for part in (head, ob3_claims(credential))]
    signing_input = ".".join(parts).encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{parts[0]}.{parts[1]}.{b64url(signature)}"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("typ", ["JWT", None, "vc-ld+jwt", "vc+jwt"])
def test_credential_jwt_typ_may_be_jwt_absent_or_a_vc_type(typ, issuer_did, issuer_key, trust):
    header = {"kid": did_key_verification_method_id(issuer_key.public_key)}
    if typ is not None:
        header["typ"] = typ
    token = sign_jws(header, ob3_claims(unsigned_credential(issuer_did)), issuer_key)
    report = verify_credential(token, now=CHECKED_AT, trust=trust)
    assert report.check("proof").status == CheckStatus.ok, report.check("proof").reason


def test_other_jwt_types_are_refused_by_name(issuer_did, issuer_key, trust):
    header = {"kid": did_key_verification_method_id(issuer_key.public_key), "typ": "dpop+jwt"}
    token = sign_jws(header, unsigned_credential(issuer_did), issuer_key)
    report = verify_credential(token, now=CHECKED_AT, trust=trust)
    assert report.failed_check == "proof"
    assert "typ is 'dpop+jwt', expected 'vc+jwt' or 'vc-ld+jwt' or 'JWT' or no typ" in (
        explained(report.check("proof"))
    )


def test_baked_ob3_jwt_with_an_embedded_rsa_key_reads_as_not_bound_to_the_issuer(
    issuer_did, rsa_key, trust
):
    token = rsa_jwt(unsigned_credential(issuer_did), rsa_key)
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"></svg>', token)
    report = verify_credential(baked, now=CHECKED_AT, trust=trust)
    assert report.check("parse").status == CheckStatus.ok
    proof = report.check("proof")
    assert proof.status == CheckStatus.failed and proof.details["key_bound_to_issuer"] is False
    assert proof.reason.startswith("the signature verifies only with a key the file itself")
    assert "nothing ties that key to the issuer" in proof.reason


def test_embedded_key_jwt_with_a_changed_payload_fails_on_the_signature(issuer_did, rsa_key):
    token = rsa_jwt(unsigned_credential(issuer_did), rsa_key)
    forged = unsigned_credential(issuer_did) | {"name": "Forged"}
    header, _, signature = token.split(".")
    other = rsa_jwt(forged, rsa_key).split(".")[1]
    report = verify_credential(f"{header}.{other}.{signature}", now=CHECKED_AT)
    assert report.failed_check == "proof"
    assert "the signature does not match" in explained(report.check("proof"))


def test_embedded_key_that_is_the_issuers_did_key_is_bound(issuer_key, trust):
    issuer_did = did_key_for(issuer_key.public_key)
    header = {"typ": "JWT", "jwk": issuer_key.public_key.to_jwk()}
    token = sign_jws(header, ob3_claims(unsigned_credential(issuer_did)), issuer_key)
    report = verify_credential(token, now=CHECKED_AT, trust=trust)
    assert report.check("proof").status == CheckStatus.ok, report.check("proof").reason
    assert report.verdict == Verdict.verified


def test_embedded_ed25519_key_of_someone_else_is_not_bound(issuer_did, trust):
    stranger = PrivateKey.generate()
    header = {"typ": "JWT", "jwk": stranger.public_key.to_jwk()}
    token = sign_jws(header, ob3_claims(unsigned_credential(issuer_did)), stranger)
    report = verify_credential(token, now=CHECKED_AT, trust=trust)
    assert report.check("proof").details["key_bound_to_issuer"] is False


def test_embedded_private_key_is_refused(issuer_did, rsa_key):
    numbers = rsa_key.private_numbers()
    token = rsa_jwt(unsigned_credential(issuer_did), rsa_key)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    header["jwk"]["d"] = b64url(numbers.d.to_bytes(256, "big"))
    changed = b64url(json.dumps(header).encode()) + "." + ".".join(token.split(".")[1:])
    report = verify_credential(changed, now=CHECKED_AT)
    assert "holds a private key" in explained(report.check("proof"))


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "one EU standard element is missing or incomplete: p0"),
        (3, "3 EU standard elements are missing or incomplete: p0; p1; p2"),
        (8, "8 EU standard elements are missing or incomplete; the first 3: p0; p1; p2"),
    ],
)
def test_eu_profile_reason_says_how_many_it_lists(count, expected):
    assert str(problems_summary([f"p{n}" for n in range(count)])) == expected


def test_eu_profile_reason_of_a_credential_with_many_gaps_agrees_with_its_details(
    issuer_did, sign_as, trust
):
    unsigned = unsigned_credential(issuer_did)
    achievement = unsigned["credentialSubject"]["achievement"]
    for element in ("assessment", "learningOutcome", "learnerIdentification", "participation"):
        del achievement[element]
    report = verify_credential(sign_as(unsigned), now=CHECKED_AT, trust=trust)
    profile = report.check("eu_profile")
    problems = profile.details["problems"]
    assert profile.status == CheckStatus.warning and len(problems) > 3
    assert profile.reason == (
        f"{len(problems)} EU standard elements are missing or incomplete; the first 3: "
        + "; ".join(problems[:3])
    )
