"""What the certificate says: the EU standard elements of one award, as labelled text.

Labels are in the certificate's language (the interface catalogue); values come from the
specification in that language, with its other languages as fallback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date

from microcred.domain.specification import Specification, StackabilityKind, localise
from microcred.domain.vocabularies import eqf_number, label
from microcred.i18n import translations

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class CertificateData:
    """Everything one certificate shows; ``credential_file`` is the signed credential itself."""

    specification: Specification
    learner_name: str
    institution_name: str
    issued_on: datetime
    public_url: str
    credential_id: str
    credential_file: bytes  # the signed credential: JSON, or a compact JWS
    credential_filename: str = "credential.json"
    awarded_on: date | None = None
    valid_until: datetime | None = None
    grade: str | None = None
    language: str = "en"
    colour: str = "#1f4e79"  # the institution's colour, as #rrggbb
    logo: bytes | None = None  # PNG or JPEG
    countries: list[str] = field(default_factory=list)  # country URIs, else the spec's own


@dataclass(frozen=True)
class Element:
    label: str
    text: str = ""
    items: tuple[str, ...] = ()


def date_text(moment: date | datetime | None, language: str) -> str:
    """Return a date in words in ``language``: "1 March 2025", "1. März 2025"."""
    if moment is None:
        return ""
    day = moment.date() if isinstance(moment, datetime) else moment
    try:
        return format_date(day, format="long", locale=language.replace("-", "_"))
    except ValueError:
        return format_date(day, format="long", locale="en")


def headline_facts(data: CertificateData) -> list[tuple[str, str]]:
    """Return the few facts printed large on the first page: workload, level, dates."""
    _ = translations(data.language).gettext
    spec, lang = data.specification, data.language
    facts: list[tuple[str, str]] = []
    if spec.workload.ects is not None:
        facts.append((_("Workload"), f"{_number(spec.workload.ects)} ECTS"))
    elif spec.workload.hours is not None:
        facts.append(
            (_("Workload"), _("%(hours)s hours") % {"hours": _number(spec.workload.hours)})
        )
    if spec.level.eqf:
        number = eqf_number(spec.level.eqf)
        eqf = _("EQF {level}").format(level=number) if number else label(spec.level.eqf, lang)
        facts.append((_("Level"), eqf))
    facts.append((_("Date of issue"), date_text(data.issued_on, lang)))
    if data.valid_until is not None:
        facts.append((_("Valid until"), date_text(data.valid_until, lang)))
    return facts


def certificate_elements(data: CertificateData) -> list[Element]:
    """Return the EU standard elements (Annex I) of the award, in the certificate's language."""
    _ = translations(data.language).gettext
    spec, lang = data.specification, data.language
    text = lambda value: localise(value, lang)  # noqa: E731
    labels = lambda uris: ", ".join(label(uri, lang) for uri in uris)  # noqa: E731
    bodies = [text(body.name) for body in spec.awarding_bodies] or [data.institution_name]
    countries = (
        data.countries
        or spec.issuer_countries
        or [body.country for body in spec.awarding_bodies if body.country]
    )
    elements = [
        Element(_("Title"), text(spec.title)),
        Element(_("Learner"), data.learner_name),
        Element(_("Awarding body"), "; ".join(bodies)),
        Element(_("Country of the awarding body"), labels(dict.fromkeys(countries))),
        Element(_("Date of issue"), date_text(data.issued_on, lang)),
    ]
    if data.awarded_on is not None:
        elements.append(Element(_("Date of achievement"), date_text(data.awarded_on, lang)))
    if data.valid_until is not None:
        elements.append(Element(_("Valid until"), date_text(data.valid_until, lang)))
    elements += [
        Element(_("Notional workload"), _workload(spec, _)),
        Element(_("Level"), _level(spec, lang, _)),
        Element(_("Learning outcomes"), items=tuple(text(o.text) for o in spec.learning_outcomes)),
        Element(
            _("Type of assessment"),
            _joined(labels(spec.assessment.types), text(spec.assessment.description)),
        ),
        Element(_("Form of participation"), _participation(spec, lang)),
        Element(_("Type of quality assurance"), _quality_assurance(spec, lang)),
    ]
    if data.grade:
        elements.append(Element(_("Grade"), data.grade))
    stacking = _stackability(spec, lang, _)
    if stacking:
        elements.append(Element(_("Stackability"), stacking))
    if spec.prerequisites:
        elements.append(Element(_("Prerequisites"), text(spec.prerequisites)))
    if spec.supervision is not None:
        elements.append(
            Element(_("Supervision and identity verification"), _supervision(_)[spec.supervision])
        )
    return [element for element in elements if element.text or element.items]


def _joined(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _workload(spec: Specification, _: Gettext) -> str:
    parts = []
    if spec.workload.ects is not None:
        parts.append(f"{_number(spec.workload.ects)} ECTS")
    if spec.workload.hours is not None:
        parts.append(_("%(hours)s hours") % {"hours": _number(spec.workload.hours)})
    return " · ".join(parts)


def _level(spec: Specification, lang: str, _: Gettext) -> str:
    parts = []
    if spec.level.eqf:
        parts.append(f"{_('EQF')}: {label(spec.level.eqf, lang)}")
    if spec.level.qf_ehea_cycle:
        cycles = {
            "short": _("Short cycle"),
            "first": _("First cycle"),
            "second": _("Second cycle"),
            "third": _("Third cycle"),
        }
        cycle = spec.level.qf_ehea_cycle.value
        parts.append(f"QF-EHEA: {cycles.get(cycle, cycle)}")
    if spec.level.nqf:
        parts.append(f"NQF: {spec.level.nqf}")
    return " · ".join(parts)


def _participation(spec: Specification, lang: str) -> str:
    part = spec.participation
    values = [label(mode, lang) for mode in part.modes]
    values += [label(uri, lang) for uri in (part.learning_setting, part.schedule) if uri]
    return _joined(", ".join(values), localise(part.description, lang))


def _quality_assurance(spec: Specification, lang: str) -> str:
    qa = spec.quality_assurance
    values = [label(uri, lang) for uri in qa.types]
    if qa.agency:
        values.append(qa.agency)
    return _joined(", ".join(values), localise(qa.description, lang))


def _stackability(spec: Specification, lang: str, _: Gettext) -> str:
    stack = spec.stackability
    parts = []
    if stack.kind == StackabilityKind.standalone:
        parts.append(_("Stand-alone"))
    elif stack.kind == StackabilityKind.integrated_stackable:
        parts.append(_("Integrated and stackable toward:"))
    for target in stack.targets:
        title = localise(target.title, lang)
        if target.ects_recognised is not None:
            title += f" ({_number(target.ects_recognised)} ECTS)"
        parts.append(title)
    note = localise(stack.note, lang)
    if note:
        parts.append(note)
    return " ".join(parts)


def _supervision(_: Gettext) -> dict[str, str]:
    return {
        "unsupervised_no_id_verification": _("Unsupervised, no identity verification"),
        "supervised_no_id_verification": _("Supervised, no identity verification"),
        "supervised_online_with_id_verification": _(
            "Supervised online, with identity verification"
        ),
        "supervised_onsite_with_id_verification": _(
            "Supervised on-site, with identity verification"
        ),
    }
