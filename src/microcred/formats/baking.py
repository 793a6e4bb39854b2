"""Baked badges: an Open Badges 3.0 credential carried inside its PNG or SVG image, and back.

Open Badges 3.0, "Baked Badge": a PNG carries the credential in one uncompressed ``iTXt``
chunk with the keyword ``openbadgecredential``; an SVG carries it in one
``<openbadges:credential>`` element directly after the ``<svg>`` tag, as a ``verify``
attribute (a vc+jwt) or as JSON in a CDATA section (an embedded proof). The text is either
the credential's JSON or its compact JWS. Baking an image that already carries a credential
replaces it, so there is never more than one.

Open Badges 2.0 badges are read as well (never written): the PNG keyword is ``openbadges``
and the SVG element ``<openbadges:assertion>``; the text may also be a hosted assertion's URL.
"""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from typing import Any

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
# The keywords a credential is read from: Open Badges 3.0's, then 2.0's.
PNG_READ_KEYWORDS = (PNG_KEYWORD, b"openbadges")
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
# A badge image is bigger than its credential; still, nothing unbounded is read.
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_TEXT_BYTES = 1024 * 1024

_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_SVG_CREDENTIAL = re.compile(
    r"<openbadges:(?P<element>credential|assertion)\b(?P<attributes>[^>]*?)"
    r"(?:/>|>(?P<body>.*?)</openbadges:(?P=element)>)",
    re.DOTALL,
)
_VERIFY_ATTRIBUTE = re.compile(r"""\bverify\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)


class BakingError(ValueError):
    """An image cannot be baked or read as asked; the message says what to fix."""


Credential = dict[str, Any] | str  # the credential's JSON object, or its compact JWS


def credential_text(credential: Credential) -> str:
    """Return what goes into the image: the compact JWS as is, an object as compact JSON."""
    if isinstance(credential, str):
        if not credential.strip():
            raise BakingError("the credential to bake is empty")
        return credential.strip()
    if not isinstance(credential, dict):
        raise BakingError(f"expected a credential object or a JWS, got {type(credential).__name__}")
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":"))


# --- PNG ---


def bake_png(image: bytes, credential: Credential) -> bytes:
    """Return the PNG ``image`` with ``credential`` in its ``openbadgecredential`` iTXt chunk."""
    chunks = [chunk for chunk in png_chunks(image) if not _is_credential_chunk(chunk)]
    text = credential_text(credential).encode("utf-8")
    # keyword NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL
    data = PNG_KEYWORD + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + text
    baked = [*chunks[:-1], (b"iTXt", data), chunks[-1]]  # just before IEND
    return PNG_SIGNATURE + b"".join(_png_chunk(kind, body) for kind, body in baked)


def png_chunks(image: bytes) -> list[tuple[bytes, bytes]]:
    """Return the (type, data) chunks of a PNG, checking the signature and every CRC."""
    if not image.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image: the file does not start with the PNG signature")
    if len(image) > MAX_IMAGE_BYTES:
        raise BakingError(f"the image is {len(image):,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
    chunks: list[tuple[bytes, bytes]] = []
    position = len(PNG_SIGNATURE)
    while position < len(image):
        if position + 12 > len(image):
            raise BakingError("the PNG is truncated inside a chunk header")
        (length,) = struct.unpack(">I", image[position : position + 4])
        kind = image[position + 4 : position + 8]
        end = position + 8 + length
        if end + 4 > len(image):
            raise BakingError(f"the PNG is truncated inside its {kind.decode('latin-1')} chunk")
        data = image[position + 8 : end]
        (crc,) = struct.unpack(">I", image[end : end + 4])
        if crc != zlib.crc32(kind + data):
            raise BakingError(f"the PNG's {kind.decode('latin-1')} chunk fails its CRC check")
        chunks.append((kind, data))
        position = end + 4
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError("the PNG must begin with an IHDR chunk and end with IEND")
    return chunks


def unbake_png(image: bytes) -> str:
    """Return the text of the first ``openbadgecredential`` (OB 3.0) or ``openbadges``
    (OB 2.0) iTXt chunk of a PNG."""
    for kind, data in png_chunks(image):
        if _is_credential_chunk((kind, data), PNG_READ_KEYWORDS):
            return _itxt_text(data)
    raise BakingError(
        "the PNG carries no Open Badges credential (no openbadgecredential or openbadges chunk)"
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_credential_chunk(
    chunk: tuple[bytes, bytes], keywords: tuple[bytes, ...] = (PNG_KEYWORD,)
) -> bool:
    kind, data = chunk
    return kind == b"iTXt" and data.split(b"\x00", 1)[0] in keywords


def _itxt_text(data: bytes) -> str:
    _keyword, _, rest = data.partition(b"\x00")
    if len(rest) < 2:
        raise BakingError("the openbadgecredential iTXt chunk is malformed")
    compressed, method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        if method != 0:
            raise BakingError("the openbadgecredential chunk uses an unknown compression method")
        inflater = zlib.decompressobj()
        text = inflater.decompress(text, MAX_TEXT_BYTES + 1)
        if len(text) > MAX_TEXT_BYTES:
            raise BakingError(f"the baked credential is larger than {MAX_TEXT_BYTES:,} bytes")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BakingError("the baked credential is not UTF-8 text") from error


# --- SVG ---


def bake_svg(svg: str, credential: Credential) -> str:
    """Return the SVG with ``credential`` in one ``<openbadges:credential>`` element."""
    svg = _SVG_CREDENTIAL.sub("", svg)
    opening = _SVG_TAG.search(svg)
    if opening is None:
        raise BakingError("not an SVG image: no <svg> tag found")
    tag = opening.group(0)
    if "xmlns:openbadges" not in tag:
        tag = f'{tag[:-1].rstrip("/")} xmlns:openbadges="{SVG_NAMESPACE}">'
    text = credential_text(credential)
    if isinstance(credential, str):
        element = f'<openbadges:credential verify="{html.escape(text)}"></openbadges:credential>'
    else:
        # "]]>" inside the JSON would end the CDATA section early: split it across two.
        safe = text.replace("]]>", "]]]]><![CDATA[>")
        element = f"<openbadges:credential><![CDATA[{safe}]]></openbadges:credential>"
    return svg[: opening.start()] + tag + element + svg[opening.end() :]


def unbake_svg(svg: str) -> str:
    """Return the credential text of the first ``<openbadges:credential>`` (OB 3.0) or
    ``<openbadges:assertion>`` (OB 2.0) element."""
    if _SVG_TAG.search(svg) is None:
        raise BakingError("not an SVG image: no <svg> tag found")
    found = _SVG_CREDENTIAL.search(svg)
    if found is None:
        raise BakingError(
            "the SVG carries no Open Badges credential (no openbadges:credential or assertion)"
        )
    verify = _VERIFY_ATTRIBUTE.search(found.group("attributes"))
    if verify:
        return html.unescape(verify.group(1) or verify.group(2) or "")
    body = found.group("body") or ""
    sections = _CDATA.findall(body)
    text = "".join(sections) if sections else html.unescape(body)
    if not text.strip():
        raise BakingError(f"the SVG's openbadges:{found.group('element')} element is empty")
    return text.strip()


# --- either ---


def is_baked_image(data: bytes | str) -> bool:
    """True when ``data`` looks like a PNG or an SVG (not like JSON or a JWS)."""
    if isinstance(data, bytes):
        if data.startswith(PNG_SIGNATURE):
            return True
        data = data[:4096].decode("utf-8", errors="ignore")
    head = data[:4096].lstrip()
    return head.startswith("<") and _SVG_TAG.search(head) is not None


def baked_text(data: bytes | str) -> str:
    """Return the credential text baked into a PNG or SVG image: JSON or a compact JWS."""
    if isinstance(data, bytes) and data.startswith(PNG_SIGNATURE):
        return unbake_png(data)
    if isinstance(data, bytes):
        if len(data) > MAX_IMAGE_BYTES:
            raise BakingError(f"the image is {len(data):,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BakingError("the SVG is not UTF-8 text") from error
    return unbake_svg(data)


def unbake(data: bytes | str) -> Credential:
    """Return the credential baked into a PNG or SVG: its JSON object, or its compact JWS."""
    text = baked_text(data)
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise BakingError(f"the baked credential is not valid JSON: {error.msg}") from error
        if not isinstance(value, dict):
            raise BakingError("the baked credential is not a JSON object")
        return value
    return text
