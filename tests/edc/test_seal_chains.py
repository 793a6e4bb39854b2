"""Seal certificate paths: issuers must be CAs allowed to sign certificates within their path
length, every certificate valid at the time judged, the seal certificate fit to seal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from seal_pki import NOW, certificate, seal_certificate, seal_with_header, usage

from microcred.crypto import jades
from microcred.crypto.x509_chain import DOCUMENT_SIGNING, chain_problem


@pytest.fixture(scope="module")
def root():
    return certificate("Test Root CA", None)


def test_good_chain_through_an_intermediate_is_accepted(root):
    intermediate = certificate("Test Seal CA", root, path_length=0)
    leaf = seal_certificate(intermediate)
    path = [leaf.certificate, intermediate.certificate]
    assert chain_problem(path, [root.certificate], NOW) is None
    payload = json.dumps({"name": "Ana"}).encode()
    header = {"b64": False, "sigT": "2026-03-02T09:30:00Z", "crit": ["b64", "sigT"]}
    found = jades.verify(seal_with_header(payload, leaf, path, header), [root.certificate])
    assert found.seal_intact and found.sealer_trusted, found.reason


def test_chain_signed_by_an_ordinary_seal_certificate_is_refused(root):
    ordinary = seal_certificate(root, "An ordinary seal certificate")
    underling = seal_certificate(ordinary, "Issued by a seal certificate")
    problem = chain_problem([underling.certificate, ordinary.certificate], [root.certificate], NOW)
    assert problem and "is not a CA (BasicConstraints cA)" in problem
    assert "An ordinary seal certificate" in problem


def test_issuer_without_basic_constraints_is_refused(root):
    unmarked = certificate("No BasicConstraints", root, ca=None, key_usage=usage(cert_sign=True))
    leaf = seal_certificate(unmarked)
    problem = chain_problem([leaf.certificate, unmarked.certificate], [root.certificate], NOW)
    assert problem and "is not a CA" in problem


def test_ca_without_key_cert_sign_is_refused(root):
    signing_only = certificate("CA without keyCertSign", root, key_usage=usage(sign=True))
    leaf = seal_certificate(signing_only)
    problem = chain_problem([leaf.certificate, signing_only.certificate], [root.certificate], NOW)
    assert problem and "may not sign certificates (KeyUsage keyCertSign)" in problem


def test_path_length_violation_is_refused():
    top = certificate("Root allowing no CA below", None, path_length=0)
    intermediate = certificate("Intermediate CA", top)
    leaf = seal_certificate(intermediate)
    problem = chain_problem([leaf.certificate, intermediate.certificate], [top.certificate], NOW)
    assert problem and "allows 0 CA certificate(s) below it (path length)" in problem
    # The same shape without the intermediate is within the path length.
    direct = seal_certificate(top)
    assert chain_problem([direct.certificate], [top.certificate], NOW) is None


def test_expired_intermediate_is_refused(root):
    expired = certificate(
        "Expired CA", root, not_before=NOW - timedelta(days=60), not_after=NOW - timedelta(1)
    )
    leaf = seal_certificate(expired)
    problem = chain_problem([leaf.certificate, expired.certificate], [root.certificate], NOW)
    assert problem and "Expired CA was not valid at 2026-03-02T09:30:00+00:00" in problem
    earlier = NOW - timedelta(days=10)
    path = [leaf.certificate, expired.certificate]
    assert chain_problem(path, [root.certificate], earlier) is None


def test_name_constraints_are_refused_not_ignored(root):
    constrained = certificate("Constrained CA", root, name_constraints=True)
    leaf = seal_certificate(constrained)
    problem = chain_problem([leaf.certificate, constrained.certificate], [root.certificate], NOW)
    assert problem and "name constraints" in problem


def test_seal_certificate_that_may_not_sign_is_refused(root):
    encipher_only = x509.KeyUsage(False, False, True, False, False, False, False, False, False)
    leaf = seal_certificate(root, key_usage=encipher_only)
    problem = chain_problem([leaf.certificate], [root.certificate], NOW)
    assert problem and "neither digitalSignature nor nonRepudiation" in problem


def test_extended_key_usage_must_allow_sealing(root):
    web_server = seal_certificate(root, extended=[ExtendedKeyUsageOID.SERVER_AUTH])
    problem = chain_problem([web_server.certificate], [root.certificate], NOW)
    assert problem and "restricted to other purposes (1.3.6.1.5.5.7.3.1)" in problem
    document_signer = seal_certificate(root, extended=[DOCUMENT_SIGNING])
    assert chain_problem([document_signer.certificate], [root.certificate], NOW) is None


def test_time_stamping_purpose_needs_the_time_stamping_usage(root):
    leaf = seal_certificate(root)
    problem = chain_problem([leaf.certificate], [root.certificate], NOW, purpose="timestamping")
    assert problem and "not a time-stamping certificate" in problem


def test_unknown_critical_extension_is_refused(root):
    odd = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.9"), b"\x05\x00")
    key = root.key
    leaf = seal_certificate(root)
    rebuilt = (
        x509.CertificateBuilder()
        .subject_name(leaf.certificate.subject)
        .issuer_name(root.certificate.subject)
        .public_key(leaf.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=1))
        .add_extension(odd, critical=True)
        .sign(key, leaf.certificate.signature_hash_algorithm)  # type: ignore[arg-type]
    )
    problem = chain_problem([rebuilt], [root.certificate], NOW)
    assert problem and "critical extension this verifier does not evaluate" in problem


def test_chain_whose_links_do_not_follow_is_refused(root):
    stranger = certificate("Unrelated CA", None)
    leaf = seal_certificate(root)
    problem = chain_problem([leaf.certificate, stranger.certificate], [root.certificate], NOW)
    assert problem and "was not issued by the next certificate" in problem


def _faulty_paths(root):
    """Yield (name, end certificate, intermediates, trust anchor) for each fault and a good path."""
    good_ca = certificate("Good CA", root, path_length=0)
    yield "good", seal_certificate(good_ca).certificate, [good_ca.certificate], root
    ordinary = seal_certificate(root, "Ordinary seal certificate")
    yield "not a CA", seal_certificate(ordinary).certificate, [ordinary.certificate], root
    signing_only = certificate("No keyCertSign", root, key_usage=usage(sign=True))
    yield (
        "no keyCertSign",
        seal_certificate(signing_only).certificate,
        [signing_only.certificate],
        root,
    )
    strict = certificate("Root with path length 0", None, path_length=0)
    below = certificate("CA below a path length 0 root", strict)
    yield "path length", seal_certificate(below).certificate, [below.certificate], strict
    expired = certificate("Lapsed CA", root, not_after=NOW - timedelta(1))
    yield "expired", seal_certificate(expired).certificate, [expired.certificate], root


def test_chain_verdicts_agree_with_the_cryptography_path_builder(root):
    """The same paths judged by cryptography's RFC 5280 path builder (its web-PKI rules for CA
    certificates, any extensions on the end certificate) must be accepted or refused alike."""
    from cryptography.x509 import verification

    for name, end, intermediates, anchor in _faulty_paths(root):
        ours = chain_problem([end, *intermediates], [anchor.certificate], NOW) is None
        builder = (
            verification.PolicyBuilder()
            .store(verification.Store([anchor.certificate]))
            .time(NOW)
            .extension_policies(
                ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
                ee_policy=verification.ExtensionPolicy.permit_all(),
            )
        )
        try:
            builder.build_client_verifier().verify(end, intermediates)
            theirs = True
        except verification.VerificationError:
            theirs = False
        assert ours == theirs == (name == "good"), name
