"""Countries as URIs of the EU country authority table, from ISO 3166 alpha-2 or alpha-3 input."""

from __future__ import annotations

import pycountry

from microcred.domain.vocabularies.catalogue import get_vocabulary
from microcred.domain.vocabularies.concepts import not_in

COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"
# EU usage differs from ISO 3166 for these two-letter codes.
EU_ALPHA2_TO_ALPHA3 = {"EL": "GRC", "UK": "GBR", "XK": "1A0"}
ALPHA3_TO_EU_ALPHA2 = {"GRC": "EL", "GBR": "UK", "1A0": "XK"}


def normalise_country(value: object) -> str:
    """Return the authority-table URI of a country given as URI, alpha-2, alpha-3 or name.

    Greece is accepted as both ``EL`` (EU usage) and ``GR`` (ISO 3166).
    """
    countries = get_vocabulary("country")
    if not isinstance(value, str):
        raise not_in(countries, value)
    text = value.strip()
    if text.startswith("https://"):
        text = "http://" + text.removeprefix("https://")
    if text in countries:
        return text
    code = text.upper()
    if len(code) == 2:
        known = pycountry.countries.get(alpha_2=code)
        code = EU_ALPHA2_TO_ALPHA3.get(code) or (known.alpha_3 if known else code)
    uri = countries.by_notation(code) or countries.by_label(text)
    if uri is None:
        raise not_in(countries, value)
    return uri


def eu_country_code(uri: str) -> str:
    """Return the two-letter code of a country URI as the EU writes it (EL for Greece, as NUTS)."""
    alpha3 = uri.removeprefix(COUNTRY_AUTHORITY)
    if alpha3 in ALPHA3_TO_EU_ALPHA2:
        return ALPHA3_TO_EU_ALPHA2[alpha3]
    known = pycountry.countries.get(alpha_3=alpha3)
    return known.alpha_2 if known else ""
