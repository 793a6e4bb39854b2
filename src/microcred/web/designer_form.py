"""What the designer form shows: its choices, its rows, and the errors beside each field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from babel import Locale

from microcred import i18n
from microcred.domain.compliance.report import ComplianceIssue
from microcred.domain.specification import LearnerIdentifier, QfEheaCycle, StackabilityKind
from microcred.domain.specification import Supervision as SupervisionKind
from microcred.domain.vocabularies import choices
from microcred.i18n import _
from microcred.web.duration_fields import unit_names
from microcred.web.form_data import row_count

# The language every language map is written in first, and the second language offered.
FIRST_LANGUAGE = "en"
SECOND_LANGUAGE = "de"
# Empty rows the form offers below the filled ones of each repeated group.
MIN_ROWS = {"awarding_bodies": 1, "learning_outcomes": 3, "stackability.targets": 1}
# Form context key -> vocabulary name in microcred.domain.vocabularies.
VOCABULARIES = {
    "country": "country",
    "eqf": "eqf",
    "isced_f": "isced-f",
    "assessment": "assessment",
    "learning_mode": "learning-mode",
    "learning_setting": "learning-setting",
    "learning_schedule": "learning-schedule",
    "accreditation": "accreditation",
    "target_group": "target-group",
    "language": "language",
}
# Vocabularies whose order means something (levels, the ISCED-F tree) keep it; the others
# are listed alphabetically in the viewer's language, as a person looks for a name.
ORDERED_VOCABULARIES = frozenset({"eqf", "isced-f"})
_INDEX = re.compile(r"\[(\d+)\]")


def sorted_choices(name: str, lang: str) -> list[tuple[str, str]]:
    """Return a vocabulary's (uri, label) pairs in ``lang``, alphabetical unless ordered."""
    pairs = choices(name, lang)
    if name in ORDERED_VOCABULARIES:
        return pairs
    return sorted(pairs, key=lambda pair: _collation_key(pair[1]))


def _collation_key(text: str) -> str:
    # Accents sort with their letter ("Österreich" among the O's), case is ignored.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def field_name(element: str) -> str:
    """Return the form field an issue's element names: ``a[0].text`` -> ``a.0.text``."""
    return _INDEX.sub(r".\1", element).strip(".")


def errors_by_field(issues: Iterable[ComplianceIssue]) -> dict[str, list[str]]:
    """Return each field's messages, for showing beside it."""
    errors: dict[str, list[str]] = {}
    for issue in issues:
        errors.setdefault(field_name(issue.element), []).append(issue.message)
    return errors


def language_inputs(values: dict[str, Any], name: str) -> list[tuple[str, str]]:
    """Return (tag, language name) of each input of a language map: en, de, then any others set."""
    prefix = f"{name}."
    present = [
        key[len(prefix) :]
        for key in values
        if key.startswith(prefix) and "." not in key[len(prefix) :] and "[]" not in key
    ]
    tags = [FIRST_LANGUAGE, SECOND_LANGUAGE] + sorted(
        tag for tag in present if tag not in (FIRST_LANGUAGE, SECOND_LANGUAGE)
    )
    display = Locale.parse(i18n.current_language())
    return [(tag, _language_name(display, tag)) for tag in tags]


def _language_name(display: Locale, tag: str) -> str:
    name = display.languages.get(tag.split("-")[0])
    return name.capitalize() if name else tag


def _enum_choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


def form_context(values: dict[str, Any], added_row: str | None = None) -> dict[str, Any]:
    """Return everything the designer template needs besides the values and errors."""
    lang = i18n.current_language()
    rows = {
        group: max(row_count(values, group) + (1 if group == added_row else 0), minimum)
        for group, minimum in MIN_ROWS.items()
    }
    return {
        "languages": language_inputs,
        "field_of": field_name,
        "choices": {key: sorted_choices(name, lang) for key, name in VOCABULARIES.items()},
        "duration_units": unit_names(),
        "awarding_body_rows": rows["awarding_bodies"],
        "outcome_rows": rows["learning_outcomes"],
        "target_rows": rows["stackability.targets"],
        "learner_identifiers": _enum_choices(learner_identifier_names()),
        "cycles": _enum_choices(cycle_names()),
        "supervision_options": _enum_choices(supervision_names()),
        "stackability_kinds": _enum_choices(stackability_names()),
        "yes_no": [("true", _("Yes")), ("false", _("No"))],
    }


def learner_identifier_names() -> dict[str, str]:
    names = {
        LearnerIdentifier.full_name: _("Full name"),
        LearnerIdentifier.email: _("Email address"),
        LearnerIdentifier.institutional_id: _("Institutional identifier"),
        LearnerIdentifier.did: _("Decentralised identifier (DID)"),
        LearnerIdentifier.date_of_birth: _("Date of birth"),
        LearnerIdentifier.national_id: _("National identifier"),
    }
    return {str(key): value for key, value in names.items()}


def cycle_names() -> dict[str, str]:
    names = {
        QfEheaCycle.short: _("Short cycle"),
        QfEheaCycle.first: _("First cycle"),
        QfEheaCycle.second: _("Second cycle"),
        QfEheaCycle.third: _("Third cycle"),
    }
    return {str(key): value for key, value in names.items()}


def supervision_names() -> dict[str, str]:
    names = {
        SupervisionKind.unsupervised_no_id_verification: _(
            "Unsupervised, no identity verification"
        ),
        SupervisionKind.supervised_no_id_verification: _("Supervised, no identity verification"),
        SupervisionKind.supervised_online_with_id_verification: _(
            "Supervised online, with identity verification"
        ),
        SupervisionKind.supervised_onsite_with_id_verification: _(
            "Supervised onsite, with identity verification"
        ),
    }
    return {str(key): value for key, value in names.items()}


def stackability_names() -> dict[str, str]:
    names = {
        StackabilityKind.standalone: _("Stand-alone"),
        StackabilityKind.integrated_stackable: _(
            "Integrated, stackable towards another credential"
        ),
    }
    return {str(key): value for key, value in names.items()}
