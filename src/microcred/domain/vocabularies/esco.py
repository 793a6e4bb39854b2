"""ESCO skills, accepted by the form of their URI (the list itself is not shipped)."""

from __future__ import annotations

import re

from microcred.domain.vocabularies.concepts import UnknownConcept

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
ESCO_EXAMPLE = ESCO_SKILL + "2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"  # "perform data analysis"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_esco_skill_uri(value: str) -> bool:
    """True when ``value`` is ``http://data.europa.eu/esco/skill/{uuid}``."""
    return value.startswith(ESCO_SKILL) and bool(_UUID.match(value.removeprefix(ESCO_SKILL)))


def normalise_esco_skill(value: object) -> str:
    """Return the ESCO skill URI of a URI (http or https) or a bare ESCO UUID."""
    text = value.strip().lower() if isinstance(value, str) else ""
    text = text.replace("https://", "http://", 1)
    uri = ESCO_SKILL + text if _UUID.match(text) else text
    if not is_esco_skill_uri(uri):
        message = (
            f"'{value}' is not an ESCO skill URI; use {ESCO_SKILL}{{uuid}},"
            f" e.g. {ESCO_EXAMPLE} (perform data analysis)"
        )
        raise UnknownConcept("esco-skill", value, message)
    return uri
