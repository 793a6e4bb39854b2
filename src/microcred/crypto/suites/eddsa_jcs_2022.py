"""eddsa-jcs-2022: Ed25519 over SHA-256 of RFC 8785 canonical JSON; the proof keeps `@context`."""

from microcred.crypto.suites import Cryptosuite, jcs_bytes, sha256_always

SUITE = Cryptosuite(
    name="eddsa-jcs-2022",
    proof_type="DataIntegrityProof",
    key_algorithms=("Ed25519",),
    canonicalize=jcs_bytes,
    hash_for=sha256_always,
    proof_config_keeps_context=True,
)
