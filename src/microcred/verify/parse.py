"""The parse check: the input is one JSON object (or a vc+jwt) of bounded size and depth.

People verify what they were given: the credential's JSON, its vc+jwt, the PDF certificate
(which carries the credential as an attachment) or a baked badge image (PNG or SVG). Each is
read down to the credential's text here; anything else gets a sentence saying what to drop.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any
from urllib.parse import unquote

from microcred.crypto.compiled.shape import NoShape, read_shape
from microcred.formats.baking import MAX_IMAGE_BYTES, BakingError, baked_text, is_baked_image
from microcred.formats.jsonld.expansion import MAX_DEPTH
from microcred.formats.pdf.attachment import (
    MAX_PDF_BYTES,
    PdfCredentialError,
    attached_credential,
    is_pdf,
)
from microcred.i18n import N_
from microcred.verify.document import as_list
from microcred.verify.report import CheckResult, Said, failed, ok, said
from microcred.verify.subject import Subject

NAME = "parse"
MAX_BYTES = 1024 * 1024
# A file may be a PDF certificate or a badge image around the credential: read this much.
MAX_FILE_BYTES = max(MAX_PDF_BYTES, MAX_IMAGE_BYTES)
# Python refuses to convert longer digit strings (sys.int_info.default_max_str_digits).
MAX_INTEGER_DIGITS = 4300
# Media types of a credential secured with JOSE, as an EnvelopedVerifiableCredential names
# them (the second is the name an earlier draft of VC-JOSE-COSE gave).
ENVELOPED_MEDIA_TYPES = ("application/vc+jwt", "application/vc-ld+jwt")
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


NOT_A_CREDENTIAL = N_(
    "This is not a credential. Drop the credential file (.json or .jwt), the PDF certificate "
    "or the badge image (PNG or SVG), or paste the credential's text."
)
DAMAGED_JSON = N_(
    "The credential's text is damaged near line %(line)s, column %(column)s (it is not valid "
    "JSON): download or copy it again, whole."
)

CARRIES_NO_CREDENTIAL = N_(
    "This PDF or image carries no credential that can be read. Drop the certificate or badge "
    "as it was issued, or the credential file itself."
)


class Unparseable(ValueError):
    """The input is not a JSON object microcred will read; the message says why.

    `said` is the reason a person reads (translatable), when it differs from the message.
    """

    def __init__(self, message: str, said: Said | None = None) -> None:
        super().__init__(message)
        self.said = said


def check_parse(subject: Subject) -> CheckResult:
    """Return ok when the input is a JSON object or a vc+jwt; sets `subject.document`."""
    try:
        subject.document, subject.jwt = read_input(subject.given)
    except Unparseable as error:
        return failed(NAME, error.said or said(NOT_A_CREDENTIAL), technical=str(error))
    if subject.jwt:
        return ok(
            NAME,
            said(N_("a compact JWS (vc+jwt) whose payload is a JSON object")),
            format="vc+jwt",
        )
    return ok(NAME, said(N_("a JSON object")), format="json")


def read_input(given: Any) -> tuple[dict[str, Any], str | None]:
    """Return (document, compact JWS or None) from a dict, JSON text, a vc+jwt, a PDF
    certificate or a baked badge."""
    if isinstance(given, dict):
        check_shape(given)
        token = enveloped_token(given)
        return (jwt_payload(token), token) if token else (given, None)
    text = input_text(given).strip()
    if is_compact_jws(text):
        return jwt_payload(text), text
    try:
        return parse_json_object(text), None
    except NotJson as error:
        if not text.startswith(("{", "[")):
            raise Unparseable(str(error), said(NOT_A_CREDENTIAL)) from error
        raise Unparseable(
            str(error), said(DAMAGED_JSON, line=error.line, column=error.column)
        ) from error


def input_text(given: Any) -> str:
    """Return the text of an input of at most MAX_BYTES: a string, UTF-8 bytes, or the
    credential text a PDF certificate or a baked PNG or SVG badge carries; raises
    `Unparseable`."""
    given = carried_text(given)
    if isinstance(given, bytes):
        if len(given) > MAX_BYTES:
            raise Unparseable(
                f"the input is {len(given):,} bytes; the limit is {MAX_BYTES:,}",
                said(
                    N_("The file is %(size)s bytes; a credential may be at most %(limit)s."),
                    size=f"{len(given):,}",
                    limit=f"{MAX_BYTES:,}",
                ),
            )
        try:
            given = given.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Unparseable(
                f"the input is not UTF-8 text: {error.reason}", said(NOT_A_CREDENTIAL)
            ) from error
    if not isinstance(given, str):
        raise Unparseable(f"expected a JSON object or a vc+jwt string, got {type(given).__name__}")
    if len(given.encode("utf-8")) > MAX_BYTES:
        raise Unparseable(f"the input is larger than {MAX_BYTES:,} bytes")
    return given


def carried_text(given: Any) -> Any:
    """Return the credential text a PDF certificate or a baked badge carries; other input as is."""
    if not isinstance(given, bytes | str):
        return given
    try:
        if is_pdf(given):
            return attached_credential(given)  # type: ignore[arg-type]
        if is_baked_image(given):
            return baked_text(given)
    except (PdfCredentialError, BakingError) as error:
        raise Unparseable(str(error), said(CARRIES_NO_CREDENTIAL)) from error
    return given


class NotJson(Unparseable):
    """The text is not JSON; `line` and `column` say where reading it stopped."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def enveloped_token(document: dict[str, Any]) -> str | None:
    """Return the vc+jwt an EnvelopedVerifiableCredential carries in its `data:` URL id, or
    None for any other document (VC 2.0 §4.13.2; VC-JOSE-COSE §3.1.1)."""
    if "EnvelopedVerifiableCredential" not in as_list(document.get("type")):
        return None
    identifier = document.get("id")
    if not isinstance(identifier, str) or not identifier.startswith("data:"):
        raise Unparseable("an EnvelopedVerifiableCredential's id must be a data: URL")
    header, _, data = identifier[len("data:") :].partition(",")
    media_type, *parameters = header.split(";")
    if media_type not in ENVELOPED_MEDIA_TYPES:
        raise Unparseable(
            f"an EnvelopedVerifiableCredential of media type {media_type[:60]!r} cannot be "
            f"read here; supported: {', '.join(ENVELOPED_MEDIA_TYPES)}"
        )
    token = unquote(data).strip()
    if "base64" in parameters or not is_compact_jws(token):
        raise Unparseable("an EnvelopedVerifiableCredential's data: URL must hold a compact JWS")
    return token


def is_compact_jws(text: str) -> bool:
    """True for text shaped like a compact JWS (three base64url parts): a vc+jwt."""
    return bool(_COMPACT_JWS.match(text))


def parse_json_object(text: str) -> dict[str, Any]:
    """Return the JSON object in `text`; duplicate keys, NaN and deep nesting are refused."""
    if not text:
        raise Unparseable("the input is empty")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_refuse_duplicate_keys,
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except RecursionError as error:
        raise Unparseable(f"the JSON is nested deeper than {MAX_DEPTH} levels") from error
    except json.JSONDecodeError as error:
        raise NotJson(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            error.lineno,
            error.colno,
        ) from error
    check_shape(value)
    return value  # type: ignore[no-any-return]


def jwt_payload(token: str) -> dict[str, Any]:
    """Return the credential a vc+jwt carries (unverified: the proof check verifies it)."""
    claims = jws_part(token, 1)
    # VC-JOSE-COSE: the payload is the credential; a VC 1.1 JWT nests it in a `vc` claim.
    nested = claims.get("vc")
    if "@context" not in claims and isinstance(nested, dict):
        return nested
    return claims


def jws_part(token: str, index: int) -> dict[str, Any]:
    """Return the JSON object in part `index` of a compact JWS (0 header, 1 payload)."""
    part = token.split(".")[index]
    name = ("header", "payload")[index]
    try:
        text = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")
    except (binascii.Error, ValueError) as error:
        raise Unparseable(f"the JWS {name} is not base64url-encoded UTF-8") from error
    return parse_json_object(text)


def check_shape(value: Any) -> None:
    """Raise `Unparseable` unless `value` is a JSON object nested at most MAX_DEPTH deep."""
    if not isinstance(value, dict):
        raise Unparseable(f"expected a JSON object, got {json_kind(value)}")
    if _read_as_a_shape(value):
        return
    level: list[Any] = [value]
    depth = 0
    while level:
        deeper: list[Any] = []
        for node in level:
            children = node.values() if isinstance(node, dict) else node
            if children and depth >= MAX_DEPTH:  # its values, leaves too, would be one deeper
                raise Unparseable(f"the JSON is nested deeper than {MAX_DEPTH} levels")
            # Only objects and arrays nest further: leaves need no visit of their own.
            for child in children:
                if isinstance(child, (dict, list)):  # a tuple: faster than a union here
                    deeper.append(child)
        level = deeper
        depth += 1


def _read_as_a_shape(value: dict[str, Any]) -> bool:
    """True if the (C) shape reader reads `value`: it refuses any object or array nested
    `shape.MAX_DEPTH` (= MAX_DEPTH) deep, so what it reads passes, in a fifth of the time of
    the walk. What it refuses (too deep, too many values) is walked, which says why."""
    try:
        read_shape(value)
    except NoShape:
        return False
    return True


def json_kind(value: Any) -> str:
    """Return what kind of JSON value `value` is, in words ("an array", "null")."""
    kinds = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "true/false",
        type(None): "null",
    }
    return kinds.get(type(value), "a number")


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: find the first key seen twice to name it
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise Unparseable(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    raise Unparseable(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    """Return the integer; one too long for Python to read (or to write back) is refused."""
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise Unparseable(f"a number has more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _finite_float(text: str) -> float:
    """Return the number; one too large for a double (1e400) would become infinity, which no
    JSON document can hold, and is refused."""
    value = float(text)
    if not math.isfinite(value):
        raise Unparseable(f"the number {text[:40]} is too large")
    return value
