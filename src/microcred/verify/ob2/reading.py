"""What an Open Badges 2.0 input is: an assertion's JSON, a signed assertion (compact JWS), the
URL of a hosted assertion, or a PNG or SVG image with one of these baked in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.formats.baking import is_baked_image
from microcred.verify.document import as_list, types_of
from microcred.verify.parse import (
    Unparseable,
    check_shape,
    input_text,
    is_compact_jws,
    jws_part,
    parse_json_object,
)

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
# OB 1.1 contexts, which 2.0 verifiers read as well (the 2.0 shapes are a superset).
OB_CONTEXTS = (OB2_CONTEXT, "https://w3id.org/openbadges/v1")


@dataclass(frozen=True)
class Ob2Input:
    """An OB 2.0 input as read: exactly one of `assertion` (with `jws` when it came signed) or
    `url` (a hosted assertion to fetch); `form` says what was given."""

    form: str  # what a person reads: "JSON", "a signed JWS", "… baked into a PNG image"
    assertion: dict[str, Any] | None = None
    jws: str | None = None
    url: str | None = None


def looks_like_ob2(given: Any) -> bool:
    """True when `given` reads as an Open Badges 2.0 assertion (in any of its forms)."""
    try:
        found = read_ob2(given)
    except Unparseable:
        return False
    # A bare link is not taken for a badge (it may be anything); a link baked into a badge is.
    return (found.url is not None and "baked" in found.form) or is_ob2_assertion(found.assertion)


def badge_reference(given: Any) -> str:
    """Return the text that names an OB 2.0 badge again, for a form to send on: a signed
    badge's JWS, a hosted badge's URL ("" when `given` is neither). An image is not needed
    again: what is baked into it is one of the two."""
    try:
        found = read_ob2(given)
    except Unparseable:
        return ""
    if found.jws is not None or found.url is not None:
        return found.jws or found.url or ""
    badge_id = (found.assertion or {}).get("id")
    hosted = isinstance(badge_id, str) and badge_id.startswith(("https://", "http://"))
    return badge_id if hosted and isinstance(badge_id, str) else ""


def is_ob2_assertion(document: Any) -> bool:
    """True for a JSON object in an OB 2.0 (or 1.1) context typed, or shaped as, an Assertion."""
    if not isinstance(document, dict):
        return False
    contexts = as_list(document.get("@context"))
    if not any(context in OB_CONTEXTS for context in contexts):
        return False
    return "Assertion" in types_of(document) or {"recipient", "badge"} <= document.keys()


def read_ob2(given: Any) -> Ob2Input:
    """Return what `given` (a dict, text, bytes, or a baked image) holds; raises `Unparseable`."""
    if isinstance(given, dict):
        check_shape(given)
        return Ob2Input("JSON", assertion=given)
    baked_as = ""
    if isinstance(given, bytes | str) and is_baked_image(given):
        baked_as = "PNG" if isinstance(given, bytes) and given[:1] == b"\x89" else "SVG"
    text = input_text(given).strip()
    found = _read_text(text)
    form = f"{found.form}, baked into the {baked_as} image" if baked_as else found.form
    return Ob2Input(form, **_parts(found))


def _read_text(text: str) -> Ob2Input:
    if text.startswith(("https://", "http://")) and not any(c.isspace() for c in text):
        return Ob2Input("a link to a hosted assertion", url=text)
    if is_compact_jws(text):
        return Ob2Input("a signed JWS", assertion=jws_part(text, 1), jws=text)
    return Ob2Input("JSON", assertion=parse_json_object(text))


def _parts(found: Ob2Input) -> dict[str, Any]:
    return {"assertion": found.assertion, "jws": found.jws, "url": found.url}
