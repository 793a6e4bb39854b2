"""ecdsa-jcs-2019: ECDSA P-256 (SHA-256) or P-384 (SHA-384) over RFC 8785 JSON."""

from microcred.crypto.suites import Cryptosuite, jcs_bytes, sha_by_curve

SUITE = Cryptosuite(
    name="ecdsa-jcs-2019",
    proof_type="DataIntegrityProof",
    key_algorithms=("P-256", "P-384"),
    canonicalize=jcs_bytes,
    hash_for=sha_by_curve,
    proof_config_keeps_context=True,
)
