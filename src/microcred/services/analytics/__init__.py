"""Analytics for an institution: verification events recorded as they happen, and counts of
credentials issued, claimed, verified, revoked and stacked per specification and month."""

from microcred.services.analytics.activity import (
    MEASURES,
    ChannelCount,
    Counts,
    InstitutionActivity,
    SpecificationActivity,
    institution_activity,
)
from microcred.services.analytics.months import checked_month
from microcred.services.analytics.recording import (
    Channel,
    credential_hash,
    record_presentation,
    record_verification,
)

__all__ = [
    "MEASURES",
    "Channel",
    "ChannelCount",
    "Counts",
    "InstitutionActivity",
    "SpecificationActivity",
    "checked_month",
    "credential_hash",
    "institution_activity",
    "record_presentation",
    "record_verification",
]
