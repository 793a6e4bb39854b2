"""The contexts check: every JSON-LD context the document names is pinned; nothing is fetched."""

from __future__ import annotations

from typing import Any

from microcred.formats.jsonld import ContextRefused, UnknownContext, load_context
from microcred.i18n import N_
from microcred.verify.document import as_list
from microcred.verify.report import CheckResult, failed, ok, said
from microcred.verify.shape import is_iri
from microcred.verify.subject import Subject

NAME = "contexts"
NO_CONTEXT = N_(
    "the file does not say which vocabulary its terms come from, so it is not a credential "
    "this verifier can read"
)
UNKNOWN_CONTEXT = N_(
    "the credential uses a vocabulary this verifier does not know; vocabularies are never "
    "downloaded while checking, so it cannot be read safely"
)


def check_contexts(subject: Subject) -> CheckResult:
    """Return ok when each context URL, at any depth, resolves from the pinned set."""
    document = subject.parsed
    # `malformed`: the document is not JSON-LD at all (the VC API's "invalid input"), as
    # against well-formed contexts this verifier will not load.
    if "@context" not in document:
        return failed(NAME, said(NO_CONTEXT), malformed=True)
    urls: list[str] = []
    for context in context_entries(document):
        if isinstance(context, str) and is_iri(context):
            urls.append(context)
        elif not isinstance(context, dict):
            return failed(
                NAME,
                said(NO_CONTEXT),
                malformed=True,
                technical=f"a @context entry must be a URL or an object, got {context!r:.80}",
            )
    unknown = []
    for url in dict.fromkeys(urls):
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
        NAME,
        said(N_("%(count)s context(s), all pinned"), count=len(set(urls))),
        contexts=list(dict.fromkeys(urls)),
    )


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
