"""Keys: Multikey and did:key round trips, JWK export, sealing at rest, and no secret in repr."""

from __future__ import annotations

import base64
import os

import pytest

from conftest import vector_json
from microcred.crypto.did_document import UnresolvableKey
from microcred.crypto.did_key import did_key_for, resolve_did_key
from microcred.crypto.key_resolution import resolve_verification_method
from microcred.crypto.key_sealing import SealError, load_kek, open_private_key, seal_private_key
from microcred.crypto.keys import PrivateKey
from microcred.crypto.multikey import (
    decode_public_key,
    decode_secret_key,
    decode_secret_multibase,
    encode_public_key,
    encode_secret_key,
)


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256", "P-384"])
def test_generated_key_signs_and_its_multikey_round_trips(algorithm):
    key = PrivateKey.generate(algorithm)
    public = decode_public_key(encode_public_key(key.public_key))
    assert public == key.public_key
    assert public.verify(key.sign(b"hello"), b"hello")
    assert not public.verify(key.sign(b"hello"), b"hellO")


@pytest.mark.parametrize("algorithm", ["P-256", "P-384"])
def test_ecdsa_secret_round_trips_through_its_multicodec_form(algorithm):
    key = PrivateKey.generate(algorithm)
    restored = decode_secret_key(encode_secret_key(key))
    assert restored.public_key == key.public_key
    assert restored.sign(b"same message") == key.sign(b"same message")


def test_ecdsa_secret_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="a P-384 secret is 48 bytes, not 32"):
        PrivateKey.from_secret_bytes("P-384", bytes(31) + b"\x01")


def test_vector_keys_decode_to_their_published_public_keys():
    pair = vector_json("vc-di-eddsa/keyPair.json")
    key = decode_secret_multibase(pair["privateKeyMultibase"])
    assert encode_public_key(key.public_key) == pair["publicKeyMultibase"]
    p256 = vector_json("vc-di-ecdsa/p256KeyPair.json")
    assert (
        encode_public_key(decode_secret_multibase(p256["secretKeyMultibase"]).public_key)
        == (p256["publicKeyMultibase"])
    )
    assert encode_public_key(
        decode_public_key(vector_json("vc-di-ecdsa/p384KeyPair.json")["publicKeyMultibase"])
    ).startswith("z82L")


def test_did_key_resolves_locally_to_a_document_with_a_multikey_method():
    key = PrivateKey.generate()
    did = did_key_for(key.public_key)
    document = resolve_did_key(did)
    method = document["verificationMethod"][0]
    assert document["id"] == did and method["type"] == "Multikey"
    assert document["assertionMethod"] == [method["id"]]
    assert resolve_verification_method(method["id"]) == key.public_key


def test_a_method_not_allowed_for_the_purpose_is_refused():
    did = did_key_for(PrivateKey.generate().public_key)
    method_id = resolve_did_key(did)["verificationMethod"][0]["id"]
    with pytest.raises(UnresolvableKey, match="keyAgreement"):
        resolve_verification_method(method_id, purpose="keyAgreement")


def test_a_did_key_resolved_before_is_still_refused_for_another_purpose_or_key():
    key = PrivateKey.generate().public_key
    method_id = resolve_did_key(did_key_for(key))["verificationMethod"][0]["id"]
    assert resolve_verification_method(method_id) == key
    assert resolve_verification_method(method_id) == key  # kept: the same answer
    with pytest.raises(UnresolvableKey, match="keyAgreement"):
        resolve_verification_method(method_id, purpose="keyAgreement")
    with pytest.raises(UnresolvableKey):
        resolve_verification_method(method_id.split("#")[0] + "#zNotThisKey")


def test_jwk_export_of_public_keys():
    ed = PrivateKey.generate("Ed25519").public_key.to_jwk()
    ec = PrivateKey.generate("P-256").public_key.to_jwk()
    assert (
        ed["kty"] == "OKP"
        and ed["crv"] == "Ed25519"
        and len(base64.urlsafe_b64decode(ed["x"] + "=")) == 32
    )
    assert ec["kty"] == "EC" and ec["crv"] == "P-256" and {"x", "y"} <= ec.keys()
    assert "d" not in ed and "d" not in ec


@pytest.mark.parametrize("algorithm", ["Ed25519", "P-256"])
def test_sealed_key_opens_only_with_the_right_kek(algorithm):
    key = PrivateKey.generate(algorithm)
    kek = os.urandom(32)
    blob = seal_private_key(key, kek)
    assert key.secret_bytes() not in blob
    assert open_private_key(blob, kek).public_key == key.public_key
    with pytest.raises(SealError, match="does not open"):
        open_private_key(blob, os.urandom(32))
    damaged = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(SealError):
        open_private_key(damaged, kek)


def test_repr_and_str_never_show_the_secret():
    key = PrivateKey.generate()
    secret_hex = key.secret_bytes().hex()
    for text in (repr(key), str(key), f"{key}"):
        assert secret_hex not in text and secret_hex[:16] not in text
        assert "secret hidden" in text


def test_kek_comes_from_the_setting_or_a_file(tmp_path):
    kek = os.urandom(32)
    assert load_kek(kek=base64.b64encode(kek).decode()) == kek
    path = tmp_path / "kek"
    path.write_bytes(kek)
    assert load_kek(kek_file=str(path)) == kek
    with pytest.raises(SealError, match="MICROCRED_KEK"):
        load_kek()
    with pytest.raises(SealError, match="32 bytes"):
        load_kek(kek=base64.b64encode(b"short").decode())
