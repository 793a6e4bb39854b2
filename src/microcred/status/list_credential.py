"""The ``BitstringStatusListCredential``: an issuer's published list of status bits (VC 2.0)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from microcred.status.bitstring import MIN_ENTRIES, EncodedListError, decode_list, encode_list
from microcred.status.recent import Recent

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_TYPE = "BitstringStatusList"


class InvalidStatusList(ValueError):
    """A status list credential that cannot be read; the message names what is wrong."""


class DecodedLists:
    """`decode_list`, remembering the most recent lists: a verifier reads the same few lists
    for every credential it checks. Only lists up to `max_bytes` decoded are kept, at most
    `size` of them."""

    def __init__(self, size: int = 64, max_bytes: int = 256 * 1024) -> None:
        self.max_bytes = max_bytes
        self._kept: Recent[str, bytes] = Recent(size)

    def decode(self, encoded: Any) -> bytes:
        if not isinstance(encoded, str):
            return decode_list(encoded)
        bits = self._kept.get(encoded)
        if bits is None:
            bits = decode_list(encoded)
            if len(bits) <= self.max_bytes:
                self._kept.keep(encoded, bits)
        return bits


DECODED = DecodedLists()


def status_list_credential(
    *, url: str, issuer: str, purpose: str, bits: bytes | bytearray, valid_from: datetime
) -> dict[str, Any]:
    """Return the unsigned status list credential published at ``url``."""
    return {
        "@context": [VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": valid_from.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": LIST_TYPE,
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }


def read_status_list(document: Any, purpose: str) -> bytes:
    """Return the bits of a status list credential for ``purpose``; raises ``InvalidStatusList``.

    Checks what the Bitstring Status List validation algorithm asks of the list itself: its
    types, that it serves ``purpose``, and that it holds at least 131,072 entries. The proof is
    checked by the caller.
    """
    if not isinstance(document, dict):
        raise InvalidStatusList("the status list credential is not a JSON object")
    types = document.get("type")
    if not isinstance(types, list) or LIST_CREDENTIAL_TYPE not in types:
        raise InvalidStatusList(f"its type {types!r} does not include {LIST_CREDENTIAL_TYPE}")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict):
        raise InvalidStatusList("its credentialSubject must be one JSON object")
    served = subject.get("statusPurpose")
    served_list = [served] if isinstance(served, str) else served
    if not isinstance(served_list, list) or purpose not in served_list:
        raise InvalidStatusList(
            f"it lists statusPurpose {served!r}, but the credential's entry is for {purpose!r}"
        )
    try:
        bits = DECODED.decode(subject.get("encodedList"))
    except EncodedListError as error:
        raise InvalidStatusList(str(error)) from error
    if len(bits) * 8 < MIN_ENTRIES:
        raise InvalidStatusList(
            f"it holds {len(bits) * 8} entries, fewer than the {MIN_ENTRIES} the specification "
            "requires for herd privacy"
        )
    return bits
