"""The contexts check: every JSON-LD context the document names is pinned; nothing is fetched."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from microcred.crypto.compiled.shape import NoShape, read_shape
from microcred.formats.jsonld import ContextRefused, UnknownContext, load_context
from microcred.i18n import N_
from microcred.verify.document import as_list
from microcred.verify.report import CheckResult, failed, ok, said
from microcred.verify.shape import is_iri
from microcred.verify.subject import Subject

NAME = "contexts"
# Document shapes whose context URLs are kept, and the largest shape key kept (in tokens; a
# credential's is about a thousand): the memory stays small whatever arrives.
KEPT_SHAPES = 64
MAX_KEPT_KEY = 8192

NO_CONTEXT = N_(
    "the file does not say which vocabulary its terms come from, so it is not a credential "
    "this verifier can read"
)
UNKNOWN_CONTEXT = N_(
    "the credential uses a vocabulary this verifier does not know; vocabularies are never "
    "downloaded while checking, so it cannot be read safely"
)


class MalformedContext(ValueError):
    """A `@context` (or `@import`) entry is neither a URL nor an object."""


def check_contexts(subject: Subject) -> CheckResult:
    """Return ok when each context URL, at any depth, resolves from the pinned set."""
    document = subject.parsed
    # `malformed`: the document is not JSON-LD at all (the VC API's "invalid input"), as
    # against well-formed contexts this verifier will not load.
    if "@context" not in document:
        return failed(NAME, said(NO_CONTEXT), malformed=True)
    try:
        urls = context_urls(document)
    except MalformedContext as error:
        return failed(NAME, said(NO_CONTEXT), malformed=True, technical=str(error))
    unknown = []
    for url in urls:
        try:
            load_context(url)
        except ContextRefused as error:
            return failed(NAME, said(UNKNOWN_CONTEXT), unknown=[url], technical=str(error))
        except UnknownContext:
            unknown.append(url)
    if unknown:
        return failed(
            NAME,
            said(UNKNOWN_CONTEXT),
            unknown=unknown,
            technical=f"unknown JSON-LD context {', '.join(unknown)}: only pinned contexts are "
            "used and nothing is downloaded",
        )
    return ok(
        NAME, said(N_("%(count)s context(s), all pinned"), count=len(urls)), contexts=list(urls)
    )


_URLS_BY_SHAPE: OrderedDict[tuple[Any, ...], list[str]] = OrderedDict()
_URLS_LOCK = threading.Lock()


def context_urls(document: dict[str, Any]) -> list[str]:
    """Return the context URLs the document names at any depth, each once, in the order found;
    raises `MalformedContext` for an entry that is neither a URL nor an object.

    Found once per document shape: a shape's key keeps every object key, every value under
    `@context` whole, and the scalars under any other keyword (`@import` among them), so the
    URLs are the same for every document of one shape; reading the shape (in C) costs a
    fraction of the walk.
    """
    try:
        key = read_shape(document).key
    except NoShape:
        return _urls_in(document)
    with _URLS_LOCK:
        kept = _URLS_BY_SHAPE.get(key)
        if kept is not None:
            _URLS_BY_SHAPE.move_to_end(key)
            return kept
    urls = _urls_in(document)  # raises for a malformed entry: such shapes are not kept
    if len(key) <= MAX_KEPT_KEY:
        with _URLS_LOCK:
            _URLS_BY_SHAPE[key] = urls
            while len(_URLS_BY_SHAPE) > KEPT_SHAPES:
                _URLS_BY_SHAPE.popitem(last=False)
    return urls


def _urls_in(document: dict[str, Any]) -> list[str]:
    urls: list[str] = []
    for context in context_entries(document):
        if isinstance(context, str) and is_iri(context):
            urls.append(context)
        elif not isinstance(context, dict):
            raise MalformedContext(
                f"a @context entry must be a URL or an object, got {context!r:.80}"
            )
    return list(dict.fromkeys(urls))


def context_entries(node: Any) -> list[Any]:
    """Return every `@context` (and `@import`) entry in the document, nested ones included."""
    found: list[Any] = []
    stack = [node]
    while stack:
        item = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict):
            for key in ("@context", "@import"):
                if key in item:
                    found.extend(as_list(item[key]))
        # Only objects and arrays nest further (inline contexts may nest scoped ones).
        for child in children:
            if isinstance(child, (dict, list)):  # a tuple: faster than a union here
                stack.append(child)
    return found
