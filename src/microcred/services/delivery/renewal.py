"""Renewal: a new credential for the same learner and achievement, linked to the one it renews.

The new award is of the specification's published version, issued now (so its validity runs
from today) and marked as replacing the old one (``awards.replaced_by``). The old credential
is NOT revoked: it was genuine, and a revocation would read as if it had been withdrawn. It
stays verifiable until it expires; its public page points to the newer credential.
"""

from __future__ import annotations

from microcred.services.awards import AwardRecord, Awards
from microcred.services.issuing import IssuingError


def renew(awards: Awards, award_id: str) -> AwardRecord:
    """Return the new award that renews ``award_id``; raises `IssuingError` if it cannot."""
    old = awards.get(award_id)
    if old.replaced_by is not None:
        raise IssuingError(
            "award", f"award {old.id} was already renewed or replaced by {old.replaced_by}"
        )
    record = awards.issuable(old.specification_id, None)
    awards.issuer.keys.ensure_key(old.institution)
    with awards.db.transaction() as session:
        new, created = awards.award_in(
            session,
            record,
            old.learner,
            grade=old.grade,
            awarded_on=old.awarded_on,
            attempt=old.attempt + 1,
            institution=old.institution,
            replaces=old.id,
        )
    if created:
        awards.run_hooks(new)
    return new
