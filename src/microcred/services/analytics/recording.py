"""Record that our verifier or a public page checked one of this instance's credentials.

Called after the verdict is known. Only credentials issued here are recorded, and only when
the copy checked was signed by a trusted issuer (its proof or seal held and the issuer trust
check passed; our own issuers are always trusted): a copy signed by some other key that
borrows one of our ids counts for nobody. A revoked or expired credential of ours that was
checked is recorded with the verdict ``failed``.

Analytics never stand in the way of a verification: a database error while recording is
logged and the verifier answers as before.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.store.analytics_tables import VerificationEventRow
from microcred.store.database import Database
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify.document import as_list
from microcred.verify.parse import Unparseable, read_input
from microcred.verify.report import CheckStatus, VerificationReport

log = logging.getLogger(__name__)


class Channel(StrEnum):
    """Where a verification happened."""

    api = "api"  # POST /credentials/verify, /presentations/verify
    page = "page"  # the /verify page
    public_page = "public-page"  # a credential's public page, checked live on every view
    wallet = "wallet"  # a wallet answering the staff verifier (OpenID4VP)


def credential_hash(credential_id: str) -> str:
    """Return the hex SHA-256 of a credential id: counts distinct credentials, names none."""
    return hashlib.sha256(credential_id.encode("utf-8")).hexdigest()


def credential_id_in(given: Any) -> str | None:
    """Return the ``id`` of the credential in a verifier's input (dict, JSON, vc+jwt), if any."""
    try:
        document, _jwt = read_input(given)
    except Unparseable:
        return None
    found = document.get("id") or document.get("jti")
    embedded = document.get("vc")
    if not found and isinstance(embedded, dict):  # a VC 1.1 JWT keeps the credential under vc
        found = embedded.get("id")
    return found if isinstance(found, str) else None


# The check that names a proven issuer trusted: for W3C credentials, and for Europass EDCs.
ISSUER_CHECKS = ("issuer_trust", "accreditation")


def _signed_by_trusted_issuer(report: VerificationReport) -> bool:
    return any(
        check.name in ISSUER_CHECKS and check.status == CheckStatus.ok for check in report.checks
    )


@dataclass(frozen=True)
class Verification:
    """One check of a credential to be recorded: which, with what verdict, where and when."""

    credential_id: str
    verdict: str
    channel: Channel
    day: date


def verification_of(
    given: Any,
    report: VerificationReport,
    channel: Channel,
    *,
    credential_id: str | None = None,
    today: date | None = None,
) -> Verification | None:
    """Return the check to record, or None when no credential signed by a trusted issuer was
    checked (a credential issued elsewhere is sorted out when it is written)."""
    credential_id = credential_id or credential_id_in(given)
    if credential_id is None or not _signed_by_trusted_issuer(report):
        return None
    return Verification(
        credential_id, str(report.verdict), channel, today or datetime.now(UTC).date()
    )


def write_verifications(session: Session, verifications: list[Verification]) -> list[bool]:
    """Add one event per check of a credential issued here; return which were added."""
    ids = {verification.credential_id for verification in verifications}
    issued = {
        row.id: row
        for row in session.execute(
            sa.select(
                IssuedCredentialRow.id,
                IssuedCredentialRow.institution_id,
                IssuedCredentialRow.specification_id,
                IssuedCredentialRow.specification_version,
            ).where(IssuedCredentialRow.id.in_(ids))
        )
    }
    added = []
    for verification in verifications:
        row = issued.get(verification.credential_id)
        added.append(row is not None)
        if row is not None:
            session.add(
                VerificationEventRow(
                    day=verification.day,
                    institution_id=row.institution_id,
                    specification_id=row.specification_id,
                    specification_version=row.specification_version,
                    credential_hash=credential_hash(verification.credential_id),
                    channel=str(verification.channel),
                    result=verification.verdict,
                )
            )
    return added


def record_verification(
    database: Database,
    given: Any,
    report: VerificationReport,
    channel: Channel,
    *,
    credential_id: str | None = None,
    today: date | None = None,
) -> bool:
    """Return True when the check was recorded: the credential is ours, signed by its issuer.

    ``given`` is what the verifier was handed; ``credential_id`` may name the credential
    instead when the caller already knows it (the public page).
    """
    verification = verification_of(given, report, channel, credential_id=credential_id, today=today)
    if verification is None:
        return False
    try:
        with database.transaction() as session:
            [added] = write_verifications(session, [verification])
            return added
    except sa.exc.SQLAlchemyError:
        log.warning("a verification could not be recorded for analytics", exc_info=True)
        return False


def record_presentation(
    database: Database, presentation: Any, report: VerificationReport, channel: Channel
) -> int:
    """Return how many of the presentation's credentials were recorded (see above)."""
    try:
        document, _jwt = read_input(presentation)
    except Unparseable:
        return 0
    embedded = as_list(document.get("verifiableCredential"))
    return sum(
        record_verification(database, credential, credential_report, channel)
        for credential, credential_report in zip(embedded, report.credentials, strict=False)
    )
