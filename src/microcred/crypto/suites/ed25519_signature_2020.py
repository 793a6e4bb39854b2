"""Ed25519Signature2020 (legacy, verify only): Ed25519 over URDNA2015/RDFC-1.0 with SHA-256.

Many deployed Open Badges carry it. The proof `type` names the suite; there is no `cryptosuite`.
"""

from microcred.crypto.suites import Cryptosuite, rdfc, sha256_always

SUITE = Cryptosuite(
    name="Ed25519Signature2020",
    proof_type="Ed25519Signature2020",
    key_algorithms=("Ed25519",),
    canonicalize=rdfc,
    hash_for=sha256_always,
    can_sign=False,
)
