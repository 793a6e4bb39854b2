"""OB 3.0 `Profile`s for the issuer and the awarding bodies, and awarding bodies read back.

The country is written twice: as the EU authority URI (extension term `country`, exact) and
as the ISO 3166-1 alpha-2 `address.addressCountryCode` that Open Badges displayers understand.
"""

from __future__ import annotations

from typing import Any

import pycountry

from microcred.domain.specification import AwardingBody
from microcred.formats.ob3.inputs import IssuerProfile
from microcred.formats.ob3.text import read_text, render_text

COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"
LEGAL_IDENTIFIER_TYPE = "ext:legalIdentifier"


def alpha2_of(country_uri: str) -> str | None:
    """Return the ISO alpha-2 code of an EU country authority URI, or None when it has none."""
    if not country_uri.startswith(COUNTRY_AUTHORITY):
        return None
    country = pycountry.countries.get(alpha_3=country_uri.removeprefix(COUNTRY_AUTHORITY))
    return country.alpha_2 if country else None


def country_uri_of(alpha2: str) -> str | None:
    """Return the EU country authority URI of an ISO alpha-2 code, or None when unknown."""
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    return f"{COUNTRY_AUTHORITY}{country.alpha_3}" if country else None


def render_profile(
    *,
    id: str | None,
    name: dict[str, str],
    url: str | None,
    country: str | None,
    legal_identifier: str | None,
    language: str,
) -> dict[str, Any]:
    """Return an OB 3.0 Profile node; a Profile without `id` is a blank node."""
    profile: dict[str, Any] = {"type": ["Profile"]}
    if id:
        profile["id"] = id
    profile["name"] = render_text(name, language)
    if url:
        profile["url"] = url
    if legal_identifier:
        profile["otherIdentifier"] = [
            {
                "type": ["IdentifierEntry"],
                "identifier": legal_identifier,
                "identifierType": LEGAL_IDENTIFIER_TYPE,
            }
        ]
    if country:
        code = alpha2_of(country)
        if code:
            profile["address"] = {"type": ["Address"], "addressCountryCode": code}
        profile["country"] = country
    return profile


def render_issuer(issuer: IssuerProfile, language: str) -> dict[str, Any]:
    """Return the Profile of the institution that issues (and signs) a credential."""
    return render_profile(
        id=issuer.id,
        name=issuer.name,
        url=issuer.url,
        country=issuer.country,
        legal_identifier=issuer.legal_identifier,
        language=language,
    )


def render_awarding_body(body: AwardingBody, language: str) -> dict[str, Any]:
    """Return the Profile of one awarding body (Annex I element 4)."""
    profile = render_profile(
        id=body.id,
        name=body.name,
        url=body.homepage,
        country=body.country,
        legal_identifier=body.legal_identifier,
        language=language,
    )
    profile["higherEducationInstitution"] = body.is_higher_education
    return profile


def read_awarding_body(profile: Any, language: str) -> dict[str, Any]:
    """Return the AwardingBody fields an OB 3.0 Profile says (as a dict for validation)."""
    if isinstance(profile, str):
        return {"id": profile}
    if not isinstance(profile, dict):
        raise ValueError(f"expected a Profile object, got {profile!r}")
    body: dict[str, Any] = {"name": read_text(profile.get("name"), language)}
    if profile.get("id"):
        body["id"] = profile["id"]
    if profile.get("url"):
        body["homepage"] = profile["url"]
    for entry in profile.get("otherIdentifier") or []:
        if isinstance(entry, dict) and entry.get("identifierType") == LEGAL_IDENTIFIER_TYPE:
            body["legal_identifier"] = entry.get("identifier")
    country = profile.get("country")
    address = profile.get("address")
    if not country and isinstance(address, dict) and address.get("addressCountryCode"):
        country = country_uri_of(str(address["addressCountryCode"]))
    if country:
        body["country"] = country
    if isinstance(profile.get("higherEducationInstitution"), bool):
        body["is_higher_education"] = profile["higherEducationInstitution"]
    return body
