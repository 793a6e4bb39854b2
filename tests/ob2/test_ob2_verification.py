"""Open Badges 2.0 assertions verify check by check: hosted, signed, baked in PNG and SVG, and
each way one is refused, against an OB 2.0 issuer served on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import socket
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from microcred.net import FetchPolicy
from microcred.verify import TrustedIssuer, TrustRegistry, VerificationReport
from microcred.verify.ob2 import looks_like_ob2, verify_ob2
from microcred.verify.parse import MAX_BYTES
from microcred.verify.report import CheckStatus, Verdict
from support.ob2_host import (
    CONTEXT,
    EMAIL,
    Ob2Host,
    png_with_openbadges,
    sign_rs256,
    svg_with_assertion,
)

CHECKS = [
    "parse",
    "assertion",
    "badge_class",
    "issuer_profile",
    "verification",
    "recipient",
    "status",
    "validity",
    "issuer_trust",
    "ob2_limits",
]


def verify(given: Any, policy: FetchPolicy, host: Ob2Host, **options: Any) -> VerificationReport:
    trusted = TrustRegistry([TrustedIssuer(host.url("/issuer"), "Hochschule Lahntal")])
    options.setdefault("trust", trusted)
    options.setdefault("recipient", EMAIL)
    return verify_ob2(given, policy=policy, **options)


def status_of(report: VerificationReport, name: str) -> CheckStatus:
    return report.check(name).status


# --- what verifies ---


def test_hosted_assertion_verifies_every_check_in_order(host: Ob2Host, loopback) -> None:
    report = verify(host.hosted(), loopback, host)
    assert [c.name for c in report.checks] == CHECKS
    assert report.verdict == Verdict.verified, report.summary
    assert report.check("assertion").details["verification_type"] == "hosted"
    assert report.check("badge_class").details["title"] == "Data Literacy Foundations"
    assert report.check("recipient").status == CheckStatus.ok
    assert status_of(report, "ob2_limits") == CheckStatus.warning
    assert "cannot prove" in report.check("ob2_limits").reason


def test_hosted_copy_decides_over_the_copy_given(host: Ob2Host, loopback) -> None:
    given = host.hosted()
    host.hosted(revoked=True, revocationReason="awarded in error")
    report = verify(given, loopback, host)
    assert report.failed_check == "status"
    assert "awarded in error" in report.check("status").reason


def test_issuer_outside_the_registry_is_verified_but_untrusted(host: Ob2Host, loopback) -> None:
    report = verify(host.hosted(), loopback, host, trust=TrustRegistry())
    assert report.verdict == Verdict.verified_untrusted_issuer
    assert status_of(report, "issuer_trust") == CheckStatus.untrusted


def test_recipient_is_not_checked_when_no_email_is_given(host: Ob2Host, loopback) -> None:
    report = verify(host.hosted(), loopback, host, recipient=None)
    assert status_of(report, "recipient") == CheckStatus.skipped
    assert report.verdict == Verdict.verified


def test_signed_assertion_verifies_with_the_issuers_key(host: Ob2Host, loopback) -> None:
    report = verify(host.signed(), loopback, host)
    assert report.verdict == Verdict.verified, report.summary
    assert report.check("verification").details["key"] == host.url("/key")


def test_baked_png_with_a_hosted_url_verifies(host: Ob2Host, loopback) -> None:
    image = png_with_openbadges(host.hosted()["id"])
    assert looks_like_ob2(image)
    report = verify(image, loopback, host)
    assert report.verdict == Verdict.verified, report.summary
    assert "baked into the PNG image" in report.check("parse").reason


def test_baked_png_with_a_signed_assertion_verifies(host: Ob2Host, loopback) -> None:
    report = verify(png_with_openbadges(host.signed()), loopback, host)
    assert report.verdict == Verdict.verified, report.summary


def test_baked_svg_with_a_signed_assertion_verifies(host: Ob2Host, loopback) -> None:
    image = svg_with_assertion(host.signed()).encode("utf-8")
    assert looks_like_ob2(image)
    report = verify(image, loopback, host)
    assert report.verdict == Verdict.verified, report.summary
    assert "baked into the SVG image" in report.check("parse").reason


def test_baked_svg_with_a_hosted_url_verifies(host: Ob2Host, loopback) -> None:
    report = verify(svg_with_assertion(host.hosted()["id"]), loopback, host)
    assert report.verdict == Verdict.verified, report.summary


def test_allowed_origins_and_prefixes_admit_their_hosts(host: Ob2Host, loopback) -> None:
    where = host.base.split("//")[1]
    host.publish_issuer(
        verification={"allowedOrigins": [where], "startsWith": [host.url("/assertions/")]}
    )
    assert verify(host.hosted(), loopback, host).verdict == Verdict.verified


# --- what is refused ---


def test_signature_by_another_key_fails(host: Ob2Host, loopback) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    report = verify(host.signed(key=stranger), loopback, host)
    assert report.failed_check == "verification"
    assert "signature does not match" in report.check("verification").reason


def test_changed_signed_payload_fails(host: Ob2Host, loopback) -> None:
    header, _payload, signature = host.signed().split(".")
    other = sign_rs256(host.assertion("signed", issuedOn="2020-01-01T00:00:00Z"), host.key)
    forged = f"{header}.{other.split('.')[1]}.{signature}"
    report = verify(forged, loopback, host)
    assert report.failed_check == "verification"


def test_key_owned_by_another_issuer_fails(host: Ob2Host, loopback) -> None:
    key = json.loads(host.pages["/key"][1])
    host.put("/key", {**key, "owner": "https://elsewhere.example/issuer"})
    report = verify(host.signed(), loopback, host)
    assert report.failed_check == "verification"
    assert "another issuer" in report.check("verification").reason


def test_embedded_profile_listing_a_forgers_key_is_not_believed(host: Ob2Host, loopback) -> None:
    # The forger signs with a key of their own and embeds a Profile that claims the issuer's
    # id and lists that key: the Profile is read from the issuer's own address instead.
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged_key = host.url("/forger/key").replace("127.0.0.1", "localhost")  # the forger's host
    host.put(
        "/forger/key",
        {
            "@context": CONTEXT,
            "id": forged_key,
            "type": "CryptographicKey",
            "owner": host.url("/issuer"),
            "publicKeyPem": host.public_pem(forger),
        },
    )
    fake_issuer = {
        "id": host.url("/issuer"),
        "type": "Issuer",
        "name": "Hochschule Lahntal",
        "publicKey": forged_key,
    }
    jws = host.signed(
        key=forger,
        badge=host.badge_class(issuer=fake_issuer),
        verification={"type": "SignedBadge", "creator": forged_key},
    )
    report = verify(jws, loopback, host)
    assert report.failed_check == "verification"
    assert "does not list the key" in report.check("verification").reason


def test_key_whose_owner_is_claimed_but_not_listed_is_refused(host: Ob2Host, loopback) -> None:
    host.publish_issuer(publicKey=None)  # a Profile that lists no key at all
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elsewhere = host.url("/key").replace("127.0.0.1", "localhost")
    key = {**json.loads(host.pages["/key"][1]), "id": elsewhere}
    host.put("/key", {**key, "publicKeyPem": host.public_pem(forger)})
    jws = host.signed(key=forger, verification={"type": "SignedBadge", "creator": elsewhere})
    report = verify(jws, loopback, host)
    assert report.failed_check == "verification"


def test_embedded_profile_cannot_widen_the_allowed_origins(host: Ob2Host, loopback) -> None:
    elsewhere = host.url("/assertions/1").replace("127.0.0.1", "localhost")
    fake_issuer = {
        "id": host.url("/issuer"),
        "type": "Issuer",
        "verification": {"allowedOrigins": elsewhere.split("//")[1].split("/")[0]},
    }
    badge = host.badge_class(issuer=fake_issuer)
    assertion = host.assertion("hosted", id=elsewhere, badge=badge)
    host.put("/assertions/1", assertion)
    report = verify(assertion, loopback, host)
    assert report.failed_check == "verification"
    assert "not the issuer's own host" in report.check("verification").reason


def test_hosted_outside_the_allowed_origins_fails(host: Ob2Host, loopback) -> None:
    host.publish_issuer(verification={"allowedOrigins": ["badges.lahntal.example"]})
    report = verify(host.hosted(), loopback, host)
    assert report.failed_check == "verification"
    assert "allowed origins" in report.check("verification").reason


def test_hosted_outside_the_allowed_prefix_fails(host: Ob2Host, loopback) -> None:
    host.publish_issuer(verification={"startsWith": [host.url("/official/")]})
    report = verify(host.hosted(), loopback, host)
    assert report.failed_check == "verification"
    assert "does not start with" in report.check("verification").reason


def test_hosted_on_another_host_than_the_issuers_fails(host: Ob2Host, loopback) -> None:
    # No policy in the Profile: the assertion must live on the host of the Profile's id.
    elsewhere = host.url("/assertions/1").replace("127.0.0.1", "localhost")
    assertion = host.assertion("hosted", id=elsewhere)
    host.put("/assertions/1", assertion)
    report = verify(assertion, loopback, host)
    assert report.failed_check == "verification"
    assert "not the issuer's own host" in report.check("verification").reason


def test_revoked_on_the_revocation_list_fails(host: Ob2Host, loopback) -> None:
    jws = host.signed()
    host.revoke({"id": host.assertion("signed")["id"], "revocationReason": "plagiarism"})
    report = verify(jws, loopback, host)
    assert report.failed_check == "status"
    assert "plagiarism" in report.check("status").reason


def test_hosted_assertion_answering_410_gone_is_revoked(host: Ob2Host, loopback) -> None:
    given = host.hosted()
    host.put("/assertions/1", given, status=410)
    report = verify(given, loopback, host)
    assert report.verdict == Verdict.failed
    assert "410 Gone" in report.check("assertion").reason


def test_expired_assertion_fails(host: Ob2Host, loopback) -> None:
    report = verify(host.hosted(expires="2025-12-31T23:59:59Z"), loopback, host)
    assert report.failed_check == "validity"
    assert "expired" in report.check("validity").reason


def test_recipient_mismatch_fails(host: Ob2Host, loopback) -> None:
    report = verify(host.hosted(), loopback, host, recipient="mallory@learner.example")
    assert report.failed_check == "recipient"


def test_unreachable_host_is_indeterminate_at_once(host: Ob2Host, loopback) -> None:
    with socket.socket() as probe:  # a port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    assertion = host.assertion("hosted", id=f"http://127.0.0.1:{closed}/assertions/1")
    report = verify(assertion, loopback, host)
    assert report.verdict == Verdict.indeterminate
    assert report.failed_check == "assertion"


def test_host_that_never_answers_is_indeterminate_within_the_deadline(
    host: Ob2Host, loopback
) -> None:
    host.hang.add("/badge")
    started = time.monotonic()
    report = verify(host.hosted(), loopback, host, total_seconds=1.0)
    assert time.monotonic() - started < 2.5
    assert report.verdict == Verdict.indeterminate
    assert status_of(report, "badge_class") == CheckStatus.indeterminate


def test_json_that_is_no_open_badge_fails_to_parse(host: Ob2Host, loopback) -> None:
    report = verify({"@context": "https://schema.org", "name": "a recipe"}, loopback, host)
    assert report.failed_check == "parse"
    assert not looks_like_ob2({"@context": "https://schema.org", "name": "a recipe"})


def test_badge_link_to_json_that_is_no_badge_class_fails(host: Ob2Host, loopback) -> None:
    host.put("/badge", {"@context": CONTEXT, "id": host.url("/badge"), "type": "Recipe"})
    report = verify(host.hosted(), loopback, host)
    assert report.failed_check == "badge_class"


def test_signed_assertion_given_as_plain_json_fails(host: Ob2Host, loopback) -> None:
    report = verify(host.assertion("signed"), loopback, host)
    assert report.failed_check == "assertion"
    assert "JWS" in report.check("assertion").reason


def test_open_badges_3_credential_is_not_taken_for_ob2() -> None:
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    assert not looks_like_ob2(credential)


@pytest.mark.parametrize("alg", ["none", "HS256", "ES256"])
def test_header_cannot_choose_another_algorithm(host: Ob2Host, loopback, alg: str) -> None:
    _header, payload, signature = host.signed().split(".")

    other = base64.urlsafe_b64encode(json.dumps({"alg": alg}).encode()).rstrip(b"=").decode()
    report = verify(f"{other}.{payload}.{signature}", loopback, host)
    assert report.failed_check == "verification"
    assert "RS256" in report.check("verification").reason


def test_unknown_verification_type_fails(host: Ob2Host, loopback) -> None:
    report = verify(host.hosted(verification={"type": "EmailedBadge"}), loopback, host)
    assert report.failed_check == "assertion"
    assert "verification.type must be hosted or signed" in report.check("assertion").reason


def test_linked_document_over_the_size_limit_fails(host: Ob2Host, loopback) -> None:
    host.pages["/badge"] = (200, b" " * (MAX_BYTES + 1))
    report = verify(host.hosted(), loopback, host)
    assert report.failed_check == "badge_class"
    assert f"more than {MAX_BYTES:,} bytes" in report.check("badge_class").reason


def test_plain_http_badge_is_not_fetched_under_the_default_policy(host: Ob2Host) -> None:
    # The settings' default policy fetches https from public addresses only.
    report = verify(host.hosted(), FetchPolicy(), host)
    assert report.failed_check == "assertion"
    assert "only https URLs are fetched" in report.check("assertion").reason
