"""What each persona does first on the demo, as pages to open, and what every page must not show.

A walk is a list of steps: a path to open (with ``{name}`` fields filled from the seeded
demo) or ``click:<selector>`` to follow a link as a person would. The checks are the ones
issue 26 names: raw JSON-LD data, English left on a German page, a page wider than a phone,
a console error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel.messages.pofile import read_po
from demo_support import Seeded

from microcred import i18n
from microcred.services.delivery.links import public_path
from microcred.services.demo_accounts import LEARNER_EMAIL, OPERATOR_EMAIL

RAW_DATA = ("@value", "@language", "{'en':", '{"en":')
# A message counts as English when it has three words or more; shorter ones ("Status",
# "PDF", "E-Mail") are the same in both languages often enough to be no evidence.
_WORDS = re.compile(r"[A-Za-z][a-z]+")
_PLACEHOLDER = re.compile(r"%\(|%[sd]|\{")


@dataclass(frozen=True)
class Persona:
    name: str
    email: str | None  # None: someone who does not sign in
    steps: tuple[str, ...]


PERSONAS = (
    Persona(
        "designer",
        "designer@montecalvo.example",
        ("/dashboard", "/designer", "/specifications/{draft}", "/specifications/{draft}/publish"),
    ),
    Persona(
        "registrar",
        "registrar@hs-delfland.example",
        (
            "/dashboard",
            "/specifications/{supply_chains}/awards",
            "/specifications/{supply_chains}/awards?q=sofia&status=suspended",
            "/awards/{sofia_award}",
            "/specifications/{supply_chains}/bulk",
            "/analytics",
        ),
    ),
    Persona(
        "learner",
        LEARNER_EMAIL,
        ("/wallet", "{anna_public}", "/courses", "/courses/{supply_chains}", "/pathways"),
    ),
    Persona("verifier", None, ("/", "/verify", "{sofia_public}", "{jonas_public}")),
    Persona(
        "recognition officer",
        "recognition-officer@uni-kaltenbach.example",
        ("/dashboard", "/recognition"),
    ),
    Persona(
        "admin",
        OPERATOR_EMAIL,
        ("/dashboard", "/account", "/mapping", "/analytics?institution=hs-delfland"),
    ),
)


def demo_fields(seeded: Seeded) -> dict[str, str]:
    """Return the ids the walks name: specifications, awards and public pages of the demo."""
    by_name = {award.learner_name: award for award in seeded.result.made}
    catalogue = seeded.awards.issuer.catalogue
    [draft] = [
        record.id
        for record in catalogue.search()
        if record.status == "draft" and record.institution == "montecalvo"
    ][:1] or [""]
    return {
        "draft": draft,
        "supply_chains": by_name["Sofia Romano"].specification_id,
        "sofia_award": by_name["Sofia Romano"].id,
        "sofia_public": public_path(by_name["Sofia Romano"].credential_id),
        "jonas_public": public_path(by_name["Jonas Virtanen"].credential_id),
        "anna_public": public_path(by_name["Anna Schmidt"].credential_id),
    }


@cache
def english_messages() -> frozenset[str]:
    """Return the interface messages whose German text differs: their English must not show."""
    with (i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        catalog = read_po(po_file)
    return frozenset(
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and isinstance(message.string, str)
        and message.string
        and message.string != message.id
        and len(_WORDS.findall(message.id)) >= 3
        and not _PLACEHOLDER.search(message.id)
        and "<" not in message.id
    )


def english_on(text: str) -> list[str]:
    """Return the English interface messages found in a page's visible text."""
    return sorted(message for message in english_messages() if message in text)


def raw_data_on(html: str) -> list[str]:
    """Return the marks of JSON-LD data printed as it is stored, found in a page."""
    return [mark for mark in RAW_DATA if mark in html]
