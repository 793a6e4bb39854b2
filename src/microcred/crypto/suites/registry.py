"""The cryptosuites microcred knows, by name."""

from __future__ import annotations

from typing import Any

from microcred.crypto.suites import (
    Cryptosuite,
    ecdsa_jcs_2019,
    ecdsa_rdfc_2019,
    ecdsa_sd_2023,
    ed25519_signature_2020,
    eddsa_jcs_2022,
    eddsa_rdfc_2022,
)

SUITES: dict[str, Cryptosuite] = {
    module.SUITE.name: module.SUITE
    for module in (
        eddsa_rdfc_2022,
        eddsa_jcs_2022,
        ecdsa_rdfc_2019,
        ecdsa_jcs_2019,
        ecdsa_sd_2023,
        ed25519_signature_2020,
    )
}


def suite_named(name: str) -> Cryptosuite:
    """Return the suite called `name`; raises ValueError listing the known ones."""
    suite = SUITES.get(name)
    if suite is None:
        raise ValueError(f"unknown cryptosuite {name!r}; known: {', '.join(sorted(SUITES))}")
    return suite


def suite_of_proof(proof: dict[str, Any]) -> Cryptosuite:
    """Return the suite a proof was made with (its `cryptosuite`, or its legacy `type`)."""
    if proof.get("type") == "DataIntegrityProof":
        return suite_named(str(proof.get("cryptosuite")))
    return suite_named(str(proof.get("type")))
