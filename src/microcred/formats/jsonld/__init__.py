"""JSON-LD without the network: pinned contexts, an offline document loader and safe-mode expansion.

Every context a credential names is resolved from files inside the package (``data/contexts``,
listed in ``index.json``), from a context registered at start-up with `register_context`, or
from the operator's contexts folder (`use_operator_contexts`, checked against recorded SHA-256s).
An unknown URL raises `UnknownContext`; nothing is ever downloaded. `expansion.expand_safely` (a
module of its own, so that reading contexts does not load the JSON-LD processor) refuses a
document whose expansion would silently drop a term, a type or a relative IRI, because dropped
values are not covered by a signature and could be changed without breaking it.
"""

from microcred.formats.jsonld.contexts import (
    ContextRefused,
    UnknownContext,
    context_generation,
    document_loader,
    forget_context,
    is_package_pinned,
    known_context_urls,
    load_context,
    pinned_context_bytes,
    register_context,
    use_operator_contexts,
)
from microcred.formats.jsonld.errors import DocumentTooComplex, UnsafeDocument

__all__ = [
    "ContextRefused",
    "DocumentTooComplex",
    "UnknownContext",
    "context_generation",
    "forget_context",
    "is_package_pinned",
    "use_operator_contexts",
    "UnsafeDocument",
    "document_loader",
    "known_context_urls",
    "load_context",
    "pinned_context_bytes",
    "register_context",
]
