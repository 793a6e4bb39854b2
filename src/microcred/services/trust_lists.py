"""Fetch the EU trusted lists and keep the verified copies: ``microcred trust refresh``.

The LOTL is fetched from the ``trusted_list_url`` setting under the fetch policy and kept
only once its signature verifies with a pinned certificate (``trusted_list_signers``); then
each national list it points to (XML form, territories as the setting asks), kept only once
signed by a certificate the LOTL names for it. A list that fails is reported and its last
good copy stays. Files are replaced whole (write, then rename), so a verifier never reads half
a list. The verifier re-verifies what it loads (`trusted_list.load_cache`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from microcred.config import Settings, trusted_list_folder
from microcred.crypto import trusted_list
from microcred.net import FetchPolicy, FetchRefused, fetch

REFRESH_SECONDS = 120.0  # the whole refresh, every list included


@dataclass
class RefreshReport:
    """What a refresh fetched and kept, and what it could not."""

    folder: Path
    lotl_sequence: int
    next_update: datetime | None
    kept: dict[str, datetime | None] = field(default_factory=dict)  # territory → nextUpdate
    failed: dict[str, str] = field(default_factory=dict)  # territory → why


def refresh(settings: Settings, *, policy: FetchPolicy | None = None) -> RefreshReport:
    """Return what fetching and verifying the LOTL and its national lists kept; raises
    TrustedListError when the LOTL itself cannot be had (nothing is changed then)."""
    until = time.monotonic() + REFRESH_SECONDS
    signers = trusted_list.pinned_signers(settings.trusted_list_signers)
    try:
        lotl_xml = _fetched(settings.trusted_list_url, until, policy)
    except FetchRefused as error:
        raise trusted_list.TrustedListError(f"the LOTL: {error}") from error
    lotl = trusted_list.read_trusted_list(lotl_xml, signers)
    if not lotl.is_lotl:
        raise trusted_list.TrustedListError("the list at the LOTL address is not a LOTL")
    folder = trusted_list_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    report = RefreshReport(folder, lotl.sequence, lotl.next_update)
    wanted = _territories(settings.trusted_list_territories)
    for pointer in lotl.pointers:
        if not pointer.is_xml or (wanted and pointer.territory.upper() not in wanted):
            continue
        try:
            xml = _fetched(pointer.location, until, policy)
            national = trusted_list.read_trusted_list(xml, pointer.signers)
        except (FetchRefused, trusted_list.TrustedListError) as error:
            report.failed[pointer.territory] = str(error)
            continue
        _replace(folder / trusted_list.national_file(pointer.territory), xml)
        report.kept[pointer.territory] = national.next_update
    _replace(folder / trusted_list.LOTL_FILE, lotl_xml)
    return report


def _fetched(url: str, until: float, policy: FetchPolicy | None) -> bytes:
    return fetch(
        url,
        accept="application/vnd.etsi.tsl+xml, application/xml",
        max_bytes=trusted_list.MAX_LIST_BYTES,
        until=until,
        policy=policy,
    ).body


def _territories(text: str) -> set[str]:
    return {part.strip().upper() for part in text.split(",") if part.strip()}


def _replace(path: Path, data: bytes) -> None:
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
