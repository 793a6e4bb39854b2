"""ELM Organisation nodes: the issuer (sealing organisation) and each awarding body.

EDC requires of every organisation a legal name and a location with a country; the issuer
also needs an eIDAS legal identifier (``eIDASIdentifier``), with the country that issued it.
"""

from __future__ import annotations

from typing import Any

from microcred.formats.elm.concepts import vocabulary_concept
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.elm.nodes import LocalIds, web_resource, without_empty


def organisation(
    ids: LocalIds,
    where: str,
    *,
    name: dict[str, str],
    country: str | None,
    node_id: str | None = None,
    legal_identifier: str | None = None,
    identifier_key: str = "registration",
    homepage: str | None = None,
) -> dict[str, Any]:
    """Return an Organisation node; raises `ElmRenderError` at ``where`` for a missing part."""
    if not name:
        raise ElmRenderError(f"{where}.name", "an organisation needs a legal name")
    if not country:
        raise ElmRenderError(
            f"{where}.country",
            "EDC requires the country of every organisation (a publications.europa.eu "
            "country URI such as http://publications.europa.eu/resource/authority/country/DEU)",
        )
    country_node = _country(country, f"{where}.country")
    node: dict[str, Any] = {
        "id": node_id or ids.new("org"),
        "type": "Organisation",
        "legalName": dict(name),
        "location": {
            "id": ids.new("location"),
            "type": "Location",
            "address": {"id": ids.new("address"), "type": "Address", "countryCode": country_node},
        },
    }
    if legal_identifier:
        node[identifier_key] = {
            "id": ids.new("legalIdentifier"),
            "type": "LegalIdentifier",
            "notation": legal_identifier,
            "spatial": country_node,
        }
    if homepage:
        node["homepage"] = web_resource(ids, homepage)
    return without_empty(node)


def _country(uri: str, where: str) -> dict[str, Any]:
    try:
        return vocabulary_concept(uri)
    except KeyError as error:
        message = f"{uri!r} is not a country of the EU authority table"
        raise ElmRenderError(where, message) from error
