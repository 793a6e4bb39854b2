"""Every W3C known-answer vector reproduces: canonical forms, hashes and (Ed25519) proof values."""

from __future__ import annotations

import hashlib

import pytest

from conftest import vector_json, vector_text
from microcred.crypto.base58 import multibase_decode
from microcred.crypto.data_integrity import sign, signing_input, verify
from microcred.crypto.key_resolution import key_resolver
from microcred.crypto.multikey import decode_public_key, decode_secret_multibase
from microcred.crypto.suites.registry import suite_named

# (folder, file suffix, suite, unsigned document, key pair file)
CASES = [
    ("vc-di-eddsa/eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022", "vc-di-eddsa/keyPair.json"),
    ("vc-di-eddsa/eddsa-jcs-2022", "JCS", "eddsa-jcs-2022", "vc-di-eddsa/keyPair.json"),
    (
        "vc-di-eddsa/Ed25519Signature2020",
        "EdSig",
        "Ed25519Signature2020",
        "vc-di-eddsa/keyPair.json",
    ),
    (
        "vc-di-ecdsa/ecdsa-rdfc-2019-p256",
        "ECDSAP256",
        "ecdsa-rdfc-2019",
        "vc-di-ecdsa/p256KeyPair.json",
    ),
    (
        "vc-di-ecdsa/ecdsa-rdfc-2019-p384",
        "ECDSAP384",
        "ecdsa-rdfc-2019",
        "vc-di-ecdsa/p384KeyPair.json",
    ),
    (
        "vc-di-ecdsa/ecdsa-jcs-2019-p256",
        "JCSECDSAP256",
        "ecdsa-jcs-2019",
        "vc-di-ecdsa/p256KeyPair.json",
    ),
    (
        "vc-di-ecdsa/ecdsa-jcs-2019-p384",
        "JCSECDSAP384",
        "ecdsa-jcs-2019",
        "vc-di-ecdsa/p384KeyPair.json",
    ),
]
IDS = [case[0].split("/")[1] for case in CASES]


def _hash(suite: str, key_file: str, data: bytes) -> bytes:
    algorithm = decode_public_key(vector_json(key_file)["publicKeyMultibase"]).algorithm
    return suite_named(suite).hash_for(algorithm)(data)


def _unsigned(folder: str, suffix: str) -> dict:
    """The signed vector without its proof (Ed25519Signature2020 adds its own context)."""
    signed = vector_json(f"{folder}/signed{suffix}.json")
    return {key: value for key, value in signed.items() if key != "proof"}


@pytest.mark.parametrize(("folder", "suffix", "suite", "key_file"), CASES, ids=IDS)
def test_canonical_document_and_proof_config_match_the_vector(folder, suffix, suite, key_file):
    canonicalize = suite_named(suite).canonicalize
    unsigned = _unsigned(folder, suffix)
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    assert canonicalize(unsigned).decode() == vector_text(f"{folder}/canonDoc{suffix}.txt")
    assert canonicalize(config).decode() == vector_text(f"{folder}/proofCanon{suffix}.txt")


@pytest.mark.parametrize(("folder", "suffix", "suite", "key_file"), CASES, ids=IDS)
def test_hashes_match_the_vector(folder, suffix, suite, key_file):
    doc_hash = _hash(suite, key_file, vector_text(f"{folder}/canonDoc{suffix}.txt").encode())
    proof_hash = _hash(suite, key_file, vector_text(f"{folder}/proofCanon{suffix}.txt").encode())
    assert doc_hash.hex() == vector_text(f"{folder}/docHash{suffix}.txt").strip()
    assert proof_hash.hex() == vector_text(f"{folder}/proofHash{suffix}.txt").strip()
    combined = vector_text(f"{folder}/combinedHash{suffix}.txt").strip()
    unsigned = _unsigned(folder, suffix)
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    algorithm = decode_public_key(vector_json(key_file)["publicKeyMultibase"]).algorithm
    assert signing_input(unsigned, config, suite_named(suite), algorithm).hex() == combined


@pytest.mark.parametrize(("folder", "suffix", "suite", "key_file"), CASES, ids=IDS)
def test_signed_vector_verifies_and_its_signature_is_the_published_one(
    folder, suffix, suite, key_file
):
    signed = vector_json(f"{folder}/signed{suffix}.json")
    results = verify(signed, resolve_key=key_resolver())
    assert [(r.suite, r.ok) for r in results] == [(suite, True)], results
    signature = multibase_decode(signed["proof"]["proofValue"])
    assert signature.hex() == vector_text(f"{folder}/sigHex{suffix}.txt").strip()


@pytest.mark.parametrize(
    ("folder", "suffix", "suite"),
    [
        ("vc-di-eddsa/eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022"),
        ("vc-di-eddsa/eddsa-jcs-2022", "JCS", "eddsa-jcs-2022"),
    ],
)
def test_ed25519_signing_reproduces_the_signed_vector_byte_for_byte(folder, suffix, suite):
    key_pair = vector_json("vc-di-eddsa/keyPair.json")
    key = decode_secret_multibase(key_pair["privateKeyMultibase"])
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    signed = sign(
        vector_json("vc-di-eddsa/unsigned.json"),
        key,
        suite=suite,
        verification_method=config["verificationMethod"],
        created=config["created"],
    )
    assert signed == vector_json(f"{folder}/signed{suffix}.json")
    assert signed["proof"]["proofValue"] == vector_text(f"{folder}/sigBTC58{suffix}.txt").strip()


@pytest.mark.parametrize(
    ("folder", "suffix", "suite", "key_file"), [case for case in CASES if "ecdsa" in case[2]]
)
def test_ecdsa_signing_is_deterministic_and_reproduces_the_signed_vector(
    folder, suffix, suite, key_file
):
    """RFC 6979 signing: the published P-256 and P-384 signatures come out byte for byte."""
    key = decode_secret_multibase(vector_json(key_file)["secretKeyMultibase"])
    config = vector_json(f"{folder}/proofConfig{suffix}.json")
    signed = sign(
        vector_json("vc-di-ecdsa/unsigned.json"),
        key,
        suite=suite,
        verification_method=config["verificationMethod"],
        created=config["created"],
    )
    assert signed == vector_json(f"{folder}/signed{suffix}.json")
    assert signed["proof"]["proofValue"] == vector_text(f"{folder}/sigBTC58{suffix}.txt").strip()


@pytest.mark.parametrize(
    "name", ["signedProofSet1", "signedProofSet2", "signedProofChain1", "signedProofChain2"]
)
def test_proof_sets_and_chains_verify_every_proof(name):
    signed = vector_json(f"vc-di-eddsa/proof-set-chain/{name}.json")
    results = verify(signed, resolve_key=key_resolver())
    proofs = signed["proof"] if isinstance(signed["proof"], list) else [signed["proof"]]
    assert len(results) == len(proofs)
    assert all(result.ok for result in results), results


def test_second_proof_of_a_set_reproduces_the_vector():
    keys = vector_json("vc-di-eddsa/proof-set-chain/multiKeyPairs.json")
    first = vector_json("vc-di-eddsa/proof-set-chain/signedProofSet1.json")
    config = vector_json("vc-di-eddsa/proof-set-chain/proofSetConfig2.json")
    signed = sign(
        first,
        decode_secret_multibase(keys["keyPair2"]["privateKeyMultibase"]),
        suite="eddsa-rdfc-2022",
        verification_method=config["verificationMethod"],
        created=config["created"],
        proof_id=config["id"],
    )
    assert signed == vector_json("vc-di-eddsa/proof-set-chain/signedProofSet2.json")


def test_sha256_of_canonical_text_is_what_gets_hashed():
    text = vector_text("vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt")
    expected = vector_text("vc-di-eddsa/eddsa-rdfc-2022/docHashDataInt.txt").strip()
    assert hashlib.sha256(text.encode()).hexdigest() == expected
