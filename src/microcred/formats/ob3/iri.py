"""Absolute IRIs: the only identifiers a signed document may carry.

A relative identifier such as ``learner-42`` is silently dropped when the document is turned
into RDF, so it would not be covered by the signature; microcred refuses it up front.
"""

from __future__ import annotations

import re

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


def is_absolute_iri(value: str) -> bool:
    """Return True when `value` has a scheme (``https:``, ``did:``, ``urn:``) and no spaces."""
    return bool(_ABSOLUTE_IRI.match(value))


def check_absolute_iri(value: str) -> str:
    """Return `value`, or raise ValueError naming it when it is not an absolute IRI."""
    if not is_absolute_iri(value):
        raise ValueError(
            f"{value!r} is not an absolute IRI: use a full URL (https://...), a DID or a URN"
        )
    return value
