"""Operator-pinned JSON-LD contexts: a folder of context files and an ``index.json`` that maps
each URL to its file and the file's SHA-256.

The folder is named by the ``contexts_dir`` setting (``MICROCRED_CONTEXTS_DIR``) and filled by
``microcred contexts add FILE --url URL``. A file is used only while its bytes still hash to
the recorded SHA-256: a context changed behind the index would change what signed credentials
mean without breaking their signatures.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INDEX = "index.json"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class OperatorContextError(ValueError):
    """The operator's contexts folder, its index or one of its files cannot be used as is."""


@dataclass(frozen=True)
class PinnedFile:
    """One operator-pinned context: its URL, the file in the folder and the file's SHA-256."""

    url: str
    file: str
    sha256: str


def read_index(folder: Path) -> dict[str, PinnedFile]:
    """Return the folder's index by URL (empty when the folder has none yet)."""
    path = folder / INDEX
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OperatorContextError(f"{path}: cannot be read as JSON ({error})") from None
    if not isinstance(raw, dict):
        raise OperatorContextError(f"{path}: must map each context URL to {{file, sha256}}")
    index = {}
    for url, entry in raw.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("file"), str)
            and isinstance(entry.get("sha256"), str)
            and _SHA256.fullmatch(entry["sha256"])
            and _plain_name(entry["file"])
        ):
            raise OperatorContextError(
                f"{path}: the entry of {url!r} must be {{file: a file name in the folder, "
                "sha256: 64 lower-case hex digits}"
            )
        index[url] = PinnedFile(url, entry["file"], entry["sha256"])
    return index


def read_context(folder: Path, pinned: PinnedFile) -> dict[str, Any]:
    """Return the parsed context of ``pinned``; refuses a file whose SHA-256 changed."""
    path = folder / pinned.file
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OperatorContextError(
            f"the context {pinned.url!r} is pinned to {path}, which cannot be read "
            f"({error.strerror or error})"
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != pinned.sha256:
        raise OperatorContextError(
            f"the context file {path} for {pinned.url!r} no longer matches its recorded SHA-256 "
            f"({pinned.sha256}, now {digest}); it is refused. Restore the file, or pin the new "
            "content again with 'microcred contexts add' after checking it"
        )
    return parse_context(data, str(path))


def parse_context(data: bytes, source: str) -> dict[str, Any]:
    """Return a context document read from JSON bytes; it must be an object with ``@context``."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OperatorContextError(f"{source}: not a UTF-8 JSON file ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("@context"), dict | list):
        raise OperatorContextError(f"{source}: a context must be a JSON object with '@context'")
    return document


def add_context(folder: Path, source: Path, url: str) -> tuple[PinnedFile, bool]:
    """Copy ``source`` into the folder as the context of ``url`` and record its SHA-256;
    return the record and whether it is new (the same content again changes nothing).

    A URL already pinned to other content is refused: credentials signed with the old
    content would change meaning.
    """
    if not re.fullmatch(r"https?://[^\s/#?]+/\S*", url) or "#" in url:
        raise OperatorContextError(f"{url!r} is not an http(s) URL without a fragment")
    try:
        data = source.read_bytes()
    except OSError as error:
        raise OperatorContextError(
            f"{source}: cannot be read ({error.strerror or error})"
        ) from None
    parse_context(data, str(source))
    index = read_index(folder)
    digest = hashlib.sha256(data).hexdigest()
    known = index.get(url)
    if known is not None and known.sha256 == digest:
        return known, False
    if known is not None:
        raise OperatorContextError(
            f"{url!r} is pinned already to other content (SHA-256 {known.sha256}); "
            "credentials read with it would change meaning, so it is not replaced"
        )
    pinned = PinnedFile(url, _file_name(url, set(p.file for p in index.values())), digest)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / pinned.file, data)
    index[url] = pinned
    records = {u: {"file": p.file, "sha256": p.sha256} for u, p in sorted(index.items())}
    _write_atomically(folder / INDEX, (json.dumps(records, indent=2) + "\n").encode())
    return pinned, True


def _plain_name(name: str) -> bool:
    return bool(name) and name not in (".", "..", INDEX) and _UNSAFE_NAME.search(name) is None


def _file_name(url: str, taken: set[str]) -> str:
    stem = _UNSAFE_NAME.sub("_", url.split("://", 1)[1]).strip("._")[:120] or "context"
    name, number = f"{stem}.jsonld", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.jsonld"
    return name


def _write_atomically(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
        file.write(data)
    os.replace(file.name, path)
