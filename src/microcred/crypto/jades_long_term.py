"""What a JAdES seal's unsigned header proves over time: its baseline level, the revocation
information it carries, and its archive time-stamp (ETSI TS 119 182-1, B-T / B-LT / B-LTA).

Everything here is read from the file, never fetched: a B-LT seal must be verifiable once the
CA's responders are gone. The levels build on each other: B-T needs a trusted signature
time-stamp; B-LT adds certificate values and revocation values that say each certificate of
the seal chain was good at the time judged; B-LTA adds a trusted archive time-stamp over
all of it.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509

from microcred.crypto import jades_header, jades_levels, revocation, rfc3161
from microcred.crypto.revocation import RevocationFinding
from microcred.crypto.x509_chain import chain_problem


@dataclass(frozen=True)
class LongTermFindings:
    """The level a seal reaches and the long-term evidence behind it."""

    level: str  # "B-B", "B-T", "B-LT" or "B-LTA"
    revocation: list[RevocationFinding] = field(default_factory=list)
    archive_time: datetime | None = None
    archive_problem: str | None = None  # why an archive time-stamp present does not count

    @property
    def revoked(self) -> RevocationFinding | None:
        """Return the finding that a certificate was revoked by the time judged, if any."""
        return next((f for f in self.revocation if f.status == "revoked"), None)


def read_long_term(
    payload: str,
    entry: dict[str, Any],
    chain: list[x509.Certificate],
    roots: list[x509.Certificate],
    *,
    signature_time_trusted: bool,
    judged_at: datetime,
) -> LongTermFindings:
    """Return the baseline level of the seal ``entry`` (chain first certificate the sealer's)
    and the revocation and archive findings that decide it."""
    if not signature_time_trusted:
        return LongTermFindings("B-B")
    try:
        components = jades_header.unsigned_components(entry.get("header"))
    except ValueError:
        return LongTermFindings("B-T")
    names = [next(iter(c)) for _, c in components]
    values = {name: c[name] for _, c in components for name in c}
    if "xVals" not in values or "rVals" not in values:
        return LongTermFindings("B-T")
    carried = _revocation_data(values["rVals"])
    findings = [
        revocation.judge(certificate, issuer, carried, judged_at)
        for certificate, issuer in zip(chain, chain[1:], strict=False)
    ]
    if not findings or any(f.status != "good" for f in findings):
        return LongTermFindings("B-T", findings)
    if "arcTst" not in values:
        return LongTermFindings("B-LT", findings)
    data = jades_levels.archived_data(payload, entry, names.index("arcTst"))
    try:
        stamp = rfc3161.verify_token(jades_header.tokens_of(values["arcTst"])[0], data)
    except (ValueError, rfc3161.TimestampError) as error:
        return LongTermFindings("B-LT", findings, archive_problem=f"arcTst: {error}")
    problem = chain_problem(stamp.chain, roots, stamp.time, purpose="timestamping")
    if problem:
        return LongTermFindings("B-LT", findings, stamp.time, f"arcTst authority: {problem}")
    return LongTermFindings("B-LTA", findings, stamp.time)


def _revocation_data(values: Any) -> revocation.RevocationData:
    """Return the DER answers of an rVals component; unreadable entries are left out."""
    found = revocation.RevocationData([], [])
    if not isinstance(values, dict):
        return found
    for key, into in (("ocspVals", found.ocsp), ("crlVals", found.crls)):
        entries = values.get(key)
        for item in entries if isinstance(entries, list) else []:
            value = item.get("val") if isinstance(item, dict) else None
            if isinstance(value, str):
                try:
                    into.append(base64.b64decode(value, validate=True))
                except (binascii.Error, ValueError):
                    continue
    return found
