"""eddsa-rdfc-2022: Ed25519 over SHA-256 of RDFC-1.0 canonical N-Quads."""

from microcred.crypto.suites import Cryptosuite, rdfc, sha256_always

SUITE = Cryptosuite(
    name="eddsa-rdfc-2022",
    proof_type="DataIntegrityProof",
    key_algorithms=("Ed25519",),
    canonicalize=rdfc,
    hash_for=sha256_always,
)
