"""ecdsa-rdfc-2019: ECDSA P-256 (SHA-256) or P-384 (SHA-384) over RDFC-1.0."""

from microcred.crypto.suites import Cryptosuite, rdfc, sha_by_curve

SUITE = Cryptosuite(
    name="ecdsa-rdfc-2019",
    proof_type="DataIntegrityProof",
    key_algorithms=("P-256", "P-384"),
    canonicalize=rdfc,
    hash_for=sha_by_curve,
)
