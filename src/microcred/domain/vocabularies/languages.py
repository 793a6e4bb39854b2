"""Languages of instruction as ISO 639-1 codes; the 24 EU languages are the vocabulary offered."""

from __future__ import annotations

import pycountry

from microcred.domain.vocabularies.catalogue import get_vocabulary
from microcred.domain.vocabularies.concepts import not_in

# The EU language authority table uses ISO 639-2/T codes, which pycountry holds as alpha_3.
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"


def is_language_code(code: str) -> bool:
    """True when ``code`` is a lower-case ISO 639-1 code (any language, not only the EU's 24)."""
    return code.islower() and pycountry.languages.get(alpha_2=code) is not None


def normalise_language(value: object) -> str:
    """Return the ISO 639-1 code of a language given as code (any case), alpha-3, URI or name.

    Teaching happens in languages beyond the 24 official EU ones (Norwegian, Ukrainian, ...), so
    any ISO 639-1 language is accepted; the EU languages are what a form offers.
    """
    languages = get_vocabulary("language")
    if not isinstance(value, str):
        raise not_in(languages, value)
    text = value.strip()
    code = text.removeprefix(LANGUAGE_AUTHORITY).lower()
    if is_language_code(code):
        return code
    known = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
    alpha_2 = getattr(known, "alpha_2", None)
    if alpha_2:
        return str(alpha_2)
    by_name = languages.by_label(text)
    if by_name is None:
        raise not_in(languages, value)
    return by_name


def language_authority_uri(code: str) -> str:
    """Return the EU language authority URI of an ISO 639-1 code, e.g. .../language/ENG for en."""
    known = pycountry.languages.get(alpha_2=code)
    if known is None:
        raise not_in(get_vocabulary("language"), code)
    return LANGUAGE_AUTHORITY + str(known.alpha_3).upper()
