"""ecdsa-sd-2023: the W3C vectors reproduce byte for byte (base proof, derived proof), derived
proofs verify, base proofs are refused by a verifier, and hostile proof values fail clearly."""

from __future__ import annotations

import base64
import copy
import hashlib

import pytest

from conftest import vector_json, vector_text
from microcred.crypto import cbor
from microcred.crypto.data_integrity import SigningError, sign, verify
from microcred.crypto.did_key import did_key_for
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import decode_secret_multibase, encode_public_key
from microcred.crypto.sd_canonical import canonicalize_and_group, hmac_label_map
from microcred.crypto.sd_proof_values import DERIVED_HEADER, ProofValueError, parse_derived
from microcred.crypto.sd_selection import PointerError
from microcred.crypto.suites import rdfc
from microcred.crypto.suites.ecdsa_sd_2023 import DerivationError, base_proof_value, derive

SD = "vc-di-ecdsa/ecdsa-sd-2023"
CASES = [("prc", "prCred"), ("employ", "employ")]


def key_material() -> dict:
    return vector_json(f"{SD}/SDKeyMaterial.json")


def signed_base(case: str) -> dict:
    return vector_json(f"{SD}/{case}/addSignedSDBase.json")


def unsecured(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}


def selective_pointers(prefix: str) -> list[str]:
    return vector_json(f"{SD}/{prefix}Selective.json")


def derived_vector(case: str) -> dict:
    return vector_json(f"{SD}/{case}/derivedRevealDocument.json")


def verify_all(document: dict) -> list[tuple[bool, str]]:
    return [(result.ok, result.reason) for result in verify(document, resolve_key=key_resolver())]


@pytest.mark.parametrize(("case", "prefix"), CASES)
def test_hmac_relabelled_canonical_statements_and_mandatory_split_match_the_vector(case, prefix):
    hmac_key = bytes.fromhex(key_material()["hmacKeyString"])
    mandatory = vector_json(f"{SD}/{prefix}Mandatory.json")
    grouped = canonicalize_and_group(
        unsecured(signed_base(case)), hmac_label_map(hmac_key), {"mandatory": mandatory}
    )
    transform = vector_json(f"{SD}/{case}/addBaseTransform.json")
    assert grouped.nquads == vector_json(f"{SD}/{case}/addBaseDocHMACCanon.json")
    group = grouped.groups["mandatory"]
    assert [list(item) for item in group.matching.items()] == transform["mandatory"]["value"]
    assert [list(item) for item in group.non_matching.items()] == transform["nonMandatory"]["value"]
    mandatory_hash = hashlib.sha256("".join(group.matching.values()).encode()).hexdigest()
    assert mandatory_hash == vector_json(f"{SD}/{case}/addHashData.json")["mandatoryHash"]


@pytest.mark.parametrize(("case", "prefix"), CASES)
def test_proof_configuration_canonicalises_and_hashes_as_the_vector(case, prefix):
    config = vector_json(f"{SD}/{case}/addProofConfig.json")
    canonical = rdfc(config)
    assert canonical.decode() == vector_text(f"{SD}/{case}/addProofConfigCanon.txt")
    proof_hash = vector_json(f"{SD}/{case}/addHashData.json")["proofHash"]
    assert hashlib.sha256(canonical).hexdigest() == proof_hash


@pytest.mark.parametrize(("case", "prefix"), CASES)
def test_base_proof_reproduces_the_vector_byte_for_byte(case, prefix):
    keys = key_material()
    signed = signed_base(case)
    proof = {key: value for key, value in signed["proof"].items() if key != "proofValue"}
    value = base_proof_value(
        unsecured(signed),
        proof,
        decode_secret_multibase(keys["baseKeyPair"]["secretKeyMultibase"]),
        vector_json(f"{SD}/{prefix}Mandatory.json"),
        hmac_key=bytes.fromhex(keys["hmacKeyString"]),
        proof_key=decode_secret_multibase(keys["proofKeyPair"]["secretKeyMultibase"]),
    )
    assert value == signed["proof"]["proofValue"]


@pytest.mark.parametrize(("case", "prefix"), CASES)
def test_derived_proof_reproduces_the_vector_byte_for_byte(case, prefix):
    derived = derive(signed_base(case), selective_pointers(prefix))
    assert derived == derived_vector(case)
    parsed = parse_derived(derived["proof"]["proofValue"])
    disclosure = vector_json(f"{SD}/{case}/derivedDisclosureData.json")
    assert [s.hex() for s in parsed.signatures] == disclosure["signatures"]
    assert parsed.mandatory_indexes == disclosure["mandatoryIndexes"]
    assert sorted(parsed.label_map.items()) == sorted(
        tuple(pair) for pair in disclosure["labelMap"]["value"]
    )


@pytest.mark.parametrize(("case", "prefix"), CASES)
def test_derived_vector_verifies_and_base_proof_is_refused_as_final(case, prefix):
    assert verify_all(derived_vector(case)) == [(True, "signature verified")]
    [(ok, reason)] = verify_all(signed_base(case))
    assert not ok and "base proof" in reason and "derived" in reason


def test_a_changed_revealed_value_fails():
    derived = derived_vector("prc")
    derived["credentialSubject"]["birthCountry"] = "Utopia"
    [(ok, reason)] = verify_all(derived)
    assert not ok and "statement's signature does not match" in reason


def test_a_changed_mandatory_value_fails_the_issuer_signature():
    derived = derived_vector("prc")
    derived["validUntil"] = "2035-12-16T23:59:59Z"  # selective: its own signature breaks
    derived["issuer"]["image"] = "data:image/png;base64,AAAA"  # mandatory: the base signature
    [(ok, reason)] = verify_all(derived)
    assert not ok and "issuer's signature does not match" in reason


def test_a_revealed_statement_removed_fails():
    derived = derived_vector("prc")
    del derived["validUntil"]
    [(ok, reason)] = verify_all(derived)
    assert not ok and "signs 6 statements but the document reveals 5" in reason


def test_signed_and_derived_with_fresh_keys_round_trip(alumni_credential):
    key = PrivateKey.generate("P-256")
    did = did_key_for(key.public_key)
    method = f"{did}#{encode_public_key(key.public_key)}"
    credential = {**alumni_credential, "issuer": did}
    base = sign(
        credential,
        key,
        suite="ecdsa-sd-2023",
        verification_method=method,
        mandatory_pointers=["/issuer"],
    )
    assert base["proof"]["proofValue"].startswith("u2V0A")
    derived = derive(base, ["/credentialSubject/alumniOf"])
    assert derived["credentialSubject"].keys() == alumni_credential["credentialSubject"].keys()
    assert "name" not in derived
    assert verify_all(derived) == [(True, "signature verified")]
    nothing_more = derive(base, [])
    assert "credentialSubject" not in nothing_more and nothing_more["issuer"] == did
    assert verify_all(nothing_more) == [(True, "signature verified")]


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-384"])
def test_ecdsa_sd_2023_needs_a_p256_key(alumni_credential, algorithm):
    with pytest.raises(SigningError, match="ecdsa-sd-2023 needs a P-256 key"):
        sign(
            alumni_credential,
            PrivateKey.generate(algorithm),
            suite="ecdsa-sd-2023",
            verification_method="did:example:issuer#key-1",
        )


def test_mandatory_pointers_are_refused_for_other_suites_and_when_they_name_nothing(
    alumni_credential,
):
    key = PrivateKey.generate("P-256")
    with pytest.raises(SigningError, match="ecdsa-rdfc-2019 takes no mandatoryPointers"):
        sign(
            alumni_credential,
            key,
            suite="ecdsa-rdfc-2019",
            verification_method="did:example:issuer#key-1",
            mandatory_pointers=["/issuer"],
        )
    with pytest.raises(PointerError, match="'/nowhere' does not match the document"):
        sign(
            alumni_credential,
            key,
            suite="ecdsa-sd-2023",
            verification_method="did:example:issuer#key-1",
            mandatory_pointers=["/nowhere"],
        )


@pytest.mark.parametrize(
    ("pointers", "message"),
    [
        (["/credentialSubject/nowhere"], "does not match the document"),
        (["credentialSubject"], "must start with '/'"),
        (["/name/0"], "does not match the document"),
        ("/name", "must be a list"),
    ],
)
def test_derive_refuses_pointers_that_name_nothing(pointers, message):
    with pytest.raises(PointerError, match=message):
        derive(signed_base("prc"), pointers)


def test_derive_needs_one_base_proof():
    with pytest.raises(DerivationError, match="exactly one ecdsa-sd-2023 proof"):
        derive(unsecured(signed_base("prc")), ["/name"])
    with pytest.raises(ProofValueError, match="not an ecdsa-sd-2023 base proof"):
        derive(derived_vector("prc"), ["/name"])


def test_derive_refuses_a_base_proof_of_another_document():
    changed = signed_base("prc")
    changed["credentialSubject"]["givenName"] = ["JANE", "J."]  # one statement more
    with pytest.raises(DerivationError, match="signs a different document"):
        derive(changed, ["/name"])


def _with_proof_value(document: dict, items: list | None = None, raw: bytes | None = None) -> dict:
    changed = copy.deepcopy(document)
    data = raw if raw is not None else DERIVED_HEADER + cbor.encode(items)
    changed["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    return changed


def _derived_items() -> list:
    value = derived_vector("prc")["proof"]["proofValue"][1:]
    return cbor.decode(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))[3:])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda items: items[:4], "array of 5 items"),
        (lambda items: [items[0][:63], *items[1:]], "base signature must be 64 bytes"),
        (lambda items: [items[0], items[1][1:], *items[2:]], "35-byte Multikey"),
        (lambda items: [items[0], b"\x81\x24" + items[1][2:], *items[2:]], "P-256 Multikey"),
        (lambda items: [*items[:2], [b"x"], *items[3:]], "signature 0 must be 64 bytes"),
        (lambda items: [*items[:3], {0: b"short"}, items[4]], "32-byte labels"),
        (lambda items: [*items[:3], {}, items[4]], "label map does not name every blank node"),
        (lambda items: [*items[:4], [0, 99]], "mandatory index is past"),
        (lambda items: [*items[:4], [4, 0]], "mandatory indexes must increase"),
        (lambda items: [*items[:2], items[2][1:], *items[3:]], "signs 5 statements"),
        (lambda items: [*items[:2], [*items[2][1:], items[2][0]], *items[3:]], "does not match"),
    ],
)
def test_hostile_derived_proof_values_fail_with_a_clear_reason(change, message):
    [(ok, reason)] = verify_all(_with_proof_value(derived_vector("prc"), change(_derived_items())))
    assert not ok and message in reason


@pytest.mark.parametrize(
    ("proof_value", "message"),
    [
        ("z3u2V0B", "multibase base64url"),
        ("u!!!!", "not base64url"),
        ("u2V0", "too short"),
        ("u" + base64.urlsafe_b64encode(b"\x01\x02\x03\x80").decode().rstrip("="), "not an ecdsa"),
        ("u" + base64.urlsafe_b64encode(b"\x01\x02\x03\x80").decode(), "not base64url"),
        (
            "u" + base64.urlsafe_b64encode(DERIVED_HEADER + b"\x85\x5f").decode().rstrip("="),
            "not valid CBOR",
        ),
        (
            "u" + base64.urlsafe_b64encode(DERIVED_HEADER + b"\x9b" + b"\xff" * 8).decode(),
            "runs past the end",
        ),
    ],
)
def test_malformed_proof_values_fail_with_a_clear_reason(proof_value, message):
    document = derived_vector("prc")
    document["proof"]["proofValue"] = proof_value
    [(ok, reason)] = verify_all(document)
    assert not ok and message in reason


def test_an_iri_that_looks_like_a_skolem_id_stays_an_iri(alumni_credential):
    key = PrivateKey.generate("P-256")
    did = did_key_for(key.public_key)
    subject = {**alumni_credential["credentialSubject"], "id": "urn:microcred-sd:0"}
    credential = {**alumni_credential, "issuer": did, "credentialSubject": subject}
    base = sign(
        credential,
        key,
        suite="ecdsa-sd-2023",
        verification_method=f"{did}#{encode_public_key(key.public_key)}",
    )
    derived = derive(base, ["/credentialSubject/id"])
    assert derived["credentialSubject"]["id"] == "urn:microcred-sd:0"
    assert verify_all(derived) == [(True, "signature verified")]


def test_reverse_properties_are_selected_and_verify():
    key = PrivateKey.generate("P-256")
    did = did_key_for(key.public_key)
    context = {"@vocab": "https://vocab.example#", "memberOf": {"@reverse": "member"}}
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", context],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"name": "Jana", "memberOf": {"name": "Chess club"}},
    }
    base = sign(
        credential,
        key,
        suite="ecdsa-sd-2023",
        verification_method=f"{did}#{encode_public_key(key.public_key)}",
    )
    derived = derive(base, ["/credentialSubject/memberOf"])
    assert derived["credentialSubject"] == {"memberOf": {"name": "Chess club"}}
    assert verify_all(derived) == [(True, "signature verified")]
