"""Asking an RFC 3161 time-stamping authority (TSA) for a token over some data.

The request (TimeStampReq) names the SHA-256 hash of the data, a fresh nonce, and asks for the
authority's certificate in the answer; it goes out as an HTTP POST (RFC 3161 §3.4) under the
fetch policy, so a TSA URL is held to the same addresses and total deadline as every other
outbound read. A token is returned only once it is granted, answers this nonce and covers
this data (`rfc3161.verify_token`): a TSA that answers something else is refused, not trusted.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from asn1crypto import algos, tsp

from microcred.crypto import rfc3161
from microcred.net import FetchPolicy, FetchRefused, fetch

REQUEST_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"


class TimestampUnavailable(RuntimeError):
    """The time-stamping authority gave no usable token; the message says why."""


def request_timestamp(url: str, data: bytes, *, policy: FetchPolicy | None = None) -> bytes:
    """Return a DER TimeStampToken from the TSA at ``url`` over ``data``; raises
    `TimestampUnavailable` saying what went wrong."""
    nonce = secrets.randbits(63)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": hashlib.sha256(data).digest(),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return _granted_token(exchange(url, request.dump(), policy=policy), nonce, data)


def exchange(url: str, request: bytes, *, policy: FetchPolicy | None = None) -> bytes:
    """Return the TSA's answer (a DER TimeStampResp, unchecked) to the DER ``request``, posted
    under the fetch policy; raises `TimestampUnavailable`."""
    try:
        answer = fetch(
            url,
            accept=REPLY_TYPE,
            max_bytes=rfc3161.MAX_TOKEN_BYTES + 4096,
            policy=policy,
            post=(request, REQUEST_TYPE),
        )
    except FetchRefused as error:
        raise TimestampUnavailable(f"the time-stamping authority: {error}") from error
    return answer.body


def timestamper(url: str, *, policy: FetchPolicy | None = None) -> Callable[[bytes], bytes]:
    """Return a function that asks the TSA at ``url`` for a token over the data it is given."""

    def stamp(data: bytes) -> bytes:
        return request_timestamp(url, data, policy=policy)

    return stamp


def _granted_token(body: bytes, nonce: int, data: bytes) -> bytes:
    """Return the token of a TimeStampResp once it is granted and answers ``nonce``."""
    try:
        response = tsp.TimeStampResp.load(body, strict=True)
        status = response["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            text = response["status"]["status_string"].native or []
            raise TimestampUnavailable(
                f"the time-stamping authority refused the request: {status} {' '.join(text)}"
            )
        token = response["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        answered_nonce = info["nonce"].native
        der = token.dump()
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TimestampUnavailable(
            f"the time-stamping authority's answer is not a TimeStampResp: {error}"
        ) from error
    if answered_nonce != nonce:
        raise TimestampUnavailable("the time-stamping authority answered another request's nonce")
    try:
        rfc3161.verify_token(der, data)
    except rfc3161.TimestampError as error:
        raise TimestampUnavailable(f"the time-stamping authority's token: {error}") from error
    return der
