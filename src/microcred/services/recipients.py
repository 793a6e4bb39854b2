"""Who holds a specification's credentials, or those of one bulk job: the registrar's list.

Each recipient is an award with the state of its credential (valid, suspended, revoked) and of
its claim (claimed, waiting, expired, unsent). The list can be narrowed by a search on the
learner's name or e-mail and by one state, and exported as CSV that a spreadsheet program
shows as text (learner names are typed by people: ``=HYPERLINK(...)`` stays a name).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from microcred.domain.spreadsheet_cells import csv_row
from microcred.services.awards import AwardRecord, Awards
from microcred.services.delivery.claims import Claims, claim_state
from microcred.services.delivery.delivered import DeliveredCredential, load_delivered

CREDENTIAL_STATES = ("valid", "suspended", "revoked")
CLAIM_STATES = ("claimed", "waiting", "expired", "unsent")
LISTED_AT_MOST = 500
CSV_COLUMNS = (
    "name",
    "email",
    "institutional_id",
    "awarded_on",
    "status",
    "claim",
    "award_id",
    "credential_id",
)


@dataclass(frozen=True)
class Recipient:
    """One line of the list: the award, its credential as delivered, and its claim."""

    award: AwardRecord
    delivered: DeliveredCredential
    claim: str  # one of CLAIM_STATES

    def matches(self, search: str, state: str) -> bool:
        """True when the learner's name or e-mail holds ``search`` and a state is ``state``.

        An empty search or state lets every recipient through; the search ignores case.
        """
        if state and state not in (self.delivered.state, self.claim):
            return False
        needle = search.strip().casefold()
        if not needle:
            return True
        names = (self.award.learner_name or "", self.award.learner_email or "")
        return any(needle in name.casefold() for name in names)


def recipients(
    awards: Awards,
    institution: str,
    *,
    spec_id: str | None = None,
    job_id: str | None = None,
    limit: int = LISTED_AT_MOST,
) -> list[Recipient]:
    """Return the awards of a specification or of a job at ``institution``, newest first."""
    found = awards.list(institution, spec_id, job_id=job_id, limit=limit)
    claims = Claims(awards.db).by_credentials([award.credential_id for award in found])
    listed = []
    for award in found:
        delivered = load_delivered(
            awards.issuer.catalogue, awards.issuer.status, award.credential_id
        )
        state = claim_state(claims.get(award.credential_id), delivered.expired)
        listed.append(Recipient(award, delivered, state))
    return listed


def matching(listed: list[Recipient], search: str = "", state: str = "") -> list[Recipient]:
    """Return the recipients whose name or e-mail holds ``search`` and with state ``state``."""
    return [recipient for recipient in listed if recipient.matches(search, state)]


def recipients_csv(listed: list[Recipient]) -> str:
    """Return the recipients as CSV, one row each, formula-like text marked as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for recipient in listed:
        award = recipient.award
        writer.writerow(
            csv_row(
                (
                    award.learner_name or "",
                    award.learner_email or "",
                    award.learner_institutional_id or "",
                    award.awarded_on.isoformat(),
                    recipient.delivered.state,
                    recipient.claim,
                    award.id,
                    award.credential_id,
                )
            )
        )
    return buffer.getvalue()
