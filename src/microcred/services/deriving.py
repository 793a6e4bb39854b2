"""Deriving: a holder turns a credential with an ecdsa-sd-2023 base proof into one that reveals
only what some JSON pointers select (plus what the issuer made mandatory).

No key is needed and nothing is stored: the base proof holds all the holder needs. This service
checks the request's shape and turns every way derivation can fail into a `DerivingError` that
names the input to fix, so the API and the CLI answer alike.
"""

from __future__ import annotations

from typing import Any

from microcred.crypto.rdfc import CanonicalizationTooComplex
from microcred.crypto.sd_proof_values import ProofValueError
from microcred.crypto.sd_selection import PointerError
from microcred.crypto.suites.ecdsa_sd_2023 import DerivationError, derive
from microcred.formats.jsonld import UnknownContext, UnsafeDocument

POINTERS = "options.selectivePointers"


class DerivingError(ValueError):
    """A proof cannot be derived as asked; ``where`` names the input, ``unreadable`` is True
    when the request's shape is wrong (rather than its content)."""

    def __init__(self, where: str, message: str, *, unreadable: bool = False) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
        self.unreadable = unreadable


def derive_credential(credential: Any, selective_pointers: Any) -> dict[str, Any]:
    """Return `credential` with a derived ecdsa-sd-2023 proof revealing what the pointers select.

    Raises `DerivingError` for anything that is not a credential with one such base proof, or
    for pointers that are not a list of JSON pointers into it.
    """
    if not isinstance(credential, dict):
        raise DerivingError("verifiableCredential", "must be a JSON object", unreadable=True)
    if not isinstance(selective_pointers, list) or not all(
        isinstance(pointer, str) for pointer in selective_pointers
    ):
        raise DerivingError(POINTERS, "must be a list of JSON pointers", unreadable=True)
    try:
        return derive(credential, selective_pointers)
    except PointerError as error:
        raise DerivingError(POINTERS, str(error)) from error
    except (DerivationError, ProofValueError) as error:
        raise DerivingError("verifiableCredential.proof", str(error)) from error
    except (UnknownContext, UnsafeDocument, CanonicalizationTooComplex) as error:
        message = f"cannot be read as JSON-LD: {error}"
        raise DerivingError("verifiableCredential", message) from error
