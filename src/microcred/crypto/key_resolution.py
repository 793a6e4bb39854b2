"""From a proof's `verificationMethod` URL to the public key that must have signed it."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from microcred.crypto.did_document import KeyUnavailable, UnresolvableKey, key_in_document
from microcred.crypto.did_key import resolve_did_key
from microcred.crypto.did_web import DidWebError, DidWebUnreachable, resolve_did_web
from microcred.crypto.keys import PublicKey

# A did:key names its key, so its answer never changes: the keys of recent did:key methods
# are kept (decoding the multibase key and building the DID document cost more than the
# signature check). A method longer than any real did:key is resolved each time.
MAX_KEPT_DID_KEY = 512


def resolve_verification_method(method_id: str, *, purpose: str = "assertionMethod") -> PublicKey:
    """Return the key of a did:key or did:web verification method allowed for `purpose`.

    Raises `KeyUnavailable` when the key cannot be had (document not fetched, DID method not
    supported) and `UnresolvableKey` when what was had does not give this key for `purpose`.
    """
    did = method_id.split("#", 1)[0]
    if did.startswith("did:key:") and len(method_id) <= MAX_KEPT_DID_KEY:
        return _did_key_method(method_id, purpose)
    if not did.startswith(("did:key:", "did:web:")):
        raise KeyUnavailable(
            f"cannot resolve {method_id!r}: only did:key and did:web are supported"
        )
    try:
        document = resolve_did_key(did) if did.startswith("did:key:") else resolve_did_web(did)
    except DidWebUnreachable as error:
        raise KeyUnavailable(str(error)) from error
    except (ValueError, DidWebError) as error:
        raise UnresolvableKey(str(error)) from error
    return key_in_document(document, method_id, purpose)


@lru_cache(maxsize=1024)
def _did_key_method(method_id: str, purpose: str) -> PublicKey:
    """Return the key of a did:key verification method (errors are raised, never kept)."""
    try:
        document = resolve_did_key(method_id)
    except ValueError as error:
        raise UnresolvableKey(str(error)) from error
    return key_in_document(document, method_id, purpose)


def key_resolver(*, purpose: str = "assertionMethod") -> Callable[[str], PublicKey]:
    """Return a `resolve_key` function for `data_integrity.verify` and `jose.verify_vc_jwt`.

    A did:web is fetched under the settings' fetch policy (see `microcred.net`)."""

    def resolve_key(method_id: str) -> PublicKey:
        return resolve_verification_method(method_id, purpose=purpose)

    return resolve_key
