"""The German interface is complete: every user-visible string has a German translation."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app_fixtures import INSTITUTION
from microcred import i18n
from microcred.domain.compliance.catalogue import PROFILES, RULES
from support.examples import example_specification

SOURCE_DIR = Path(i18n.__file__).parent
# The keywords of the extraction command in locale/babel.cfg: Babel's defaults plus our own.
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext_": (1, 2)}
# %(name)s, %(num)d ... and the literal %%.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_NAME = re.compile(r"[A-Za-z_]\w*|\d*")


@cache
def extracted_messages() -> dict[str, list[str]]:
    """Return each msgid found in the sources with the file:line places it occurs."""
    with (SOURCE_DIR / "locale" / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    places: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        SOURCE_DIR, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            places.setdefault(msgid, []).append(f"src/microcred/{filename}:{lineno}")
    return places


def german_catalog() -> Catalog:
    with (i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file)


def placeholders(text: str) -> list[str]:
    """Return the sorted placeholders of a message: %-style ones and named {fields}."""
    found = PERCENT_PLACEHOLDER.findall(text)
    # A literal like {'en': 'Data literacy'} is an example, not a field: only names count.
    found += [
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _literal, name, spec, conversion in Formatter().parse(text)
        if name is not None and BRACE_NAME.fullmatch(name)
    ]
    return sorted(found)


def test_every_extracted_message_has_a_german_translation() -> None:
    catalog = german_catalog()
    missing = [
        f"{places[0]}: {msgid!r}"
        for msgid, places in extracted_messages().items()
        if msgid not in catalog or not all(_strings(catalog[msgid].string))
    ]
    assert missing == [], "no German translation in locale/de/LC_MESSAGES/messages.po:\n" + (
        "\n".join(missing)
    )


def test_every_compliance_rule_and_profile_title_and_source_has_a_german_translation() -> None:
    # The titles are translated when a report is made (_(rule.title)), so no extractor sees them.
    catalog = german_catalog()
    titles = [(rule.id, rule.title) for rule in RULES] + list(PROFILES.items())
    titles += [(f"{rule.id} source", rule.source) for rule in RULES if rule.source]
    missing = [
        f"{name}: {title!r}"
        for name, title in titles
        if title not in catalog or not catalog[title].string
    ]
    assert missing == [], "no German title in locale/de/LC_MESSAGES/messages.po:\n" + "\n".join(
        missing
    )


def test_the_extractor_finds_python_and_template_messages() -> None:
    places = extracted_messages()
    assert len(places) > 500
    assert any(".py:" in place for place in places["none given"])
    assert any(".html:" in place for place in places["Verify a credential"])


@pytest.mark.parametrize(
    ("msgid", "where"),
    [
        ("Hello %(name)s,", "web/templates/email/claim.txt"),  # the plain-text e-mail
        ("Hello %(name)s,", "web/templates/email/claim.html"),
        ("Certificate of achievement", "formats/pdf/certificate.py"),  # the PDF certificate
        ("EQF {level}", "formats/pdf/elements.py"),  # the certificate's level line
        ("Mapping of programme catalogues against the EU definition", "reports/templates/"),
    ],
)
def test_the_extractor_covers_e_mails_pdfs_and_report_templates(msgid: str, where: str) -> None:
    # What is not extracted is never checked for a German translation above.
    assert any(where in place for place in extracted_messages().get(msgid, [])), (
        f"{msgid!r} is not extracted from {where}"
    )


def test_every_german_entry_keeps_the_placeholders_of_its_msgid() -> None:
    changed = [
        f"{message.id!r}: {string!r}"
        for message in german_catalog()
        if message.id
        for string in _strings(message.string)
        if not _keeps_placeholders(message.id, string)
    ]
    assert changed == [], "placeholders differ from the msgid:\n" + "\n".join(changed)


def _keeps_placeholders(msgid: str | tuple[str, ...], string: str) -> bool:
    if isinstance(msgid, str):
        return placeholders(string) == placeholders(msgid)
    # A plural form may leave out the number ("ein Fehler") but never adds or renames one.
    return set(placeholders(string)) <= {field for form in msgid for field in placeholders(form)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%(num)d errors, 100 %%", ["%%", "%(num)d"]),
        ("{hours:g} hours, {ratio:.1f} per {{uuid}}", ["{hours:g}", "{ratio:.1f}"]),
        ("a title, e.g. {'en': 'Data literacy'}", []),
    ],
)
def test_placeholders_are_the_format_fields_of_a_message(text: str, expected: list[str]) -> None:
    assert placeholders(text) == expected


def test_german_compliance_panel_shows_the_german_rule_message(
    app: FastAPI, client: TestClient
) -> None:
    spec = example_specification()
    spec = spec.model_copy(
        update={"quality_assurance": spec.quality_assurance.model_copy(update={"types": []})}
    )
    record = app.state.catalogue.create(INSTITUTION, spec)

    german = html.unescape(client.get(f"/specifications/{record.id}?lang=de").text)
    english = html.unescape(client.get(f"/specifications/{record.id}?lang=en").text)

    assert "MC-M11" in german
    assert "Geben Sie die Art der Qualitätssicherung an" in german
    assert "State the type of quality assurance" not in german
    assert "State the type of quality assurance" in english
    assert "Fiktiver Arbeitsaufwand (ECTS)" in german  # the passed MC-M07, by its title
    assert "Notional workload (ECTS)" in english


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return (string,) if isinstance(string, str) else tuple(string)
