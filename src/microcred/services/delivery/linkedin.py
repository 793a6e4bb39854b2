"""The "Add to LinkedIn profile" link, with the certification's fields filled in."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_add_url(
    *,
    name: str,
    organization: str,
    issued: datetime,
    cert_url: str,
    cert_id: str,
    expires: datetime | None = None,
) -> str:
    """Return LinkedIn's add-certification address for one credential."""
    fields: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization,
        "issueYear": issued.year,
        "issueMonth": issued.month,
    }
    if expires is not None:
        fields["expirationYear"] = expires.year
        fields["expirationMonth"] = expires.month
    fields["certUrl"] = cert_url
    fields["certId"] = cert_id
    return f"{ADD_TO_PROFILE}?{urlencode(fields)}"
