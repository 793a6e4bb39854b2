"""JSON-LD without the network: pinned contexts, an offline document loader and safe-mode expansion.

Every context a credential names is resolved from files inside the package (``data/contexts``,
listed in ``index.json``) or from a context registered at start-up with `register_context`.
An unknown URL raises `UnknownContext`; nothing is ever downloaded. `expand_safely` refuses a
document whose expansion would silently drop a term, a type or a relative IRI, because dropped
values are not covered by a signature and could be changed without breaking it.
"""

from microcred.formats.jsonld.contexts import (
    UnknownContext,
    document_loader,
    known_context_urls,
    load_context,
    register_context,
)
from microcred.formats.jsonld.errors import DocumentTooComplex, UnsafeDocument
from microcred.formats.jsonld.expansion import expand_safely

__all__ = [
    "DocumentTooComplex",
    "UnknownContext",
    "UnsafeDocument",
    "document_loader",
    "expand_safely",
    "known_context_urls",
    "load_context",
    "register_context",
]
