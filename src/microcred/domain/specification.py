"""The Specification: one micro-credential described with the EU standard elements.

Council Recommendation 2022/C 243/02, Annex I: 11 mandatory and 5 optional elements. The model
holds what a designer writes; it is deliberately permissive about *completeness* (a draft may
lack elements, the compliance report says which) and strict about *form* (an ECTS value that is
not a number, or a language map keyed by something that is not a language tag, never gets in).

Controlled values are stored as their EU URIs (``http://data.europa.eu/snb/...``); labels come
from ``microcred.domain.vocabularies``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# A language map: BCP 47 tag -> text, e.g. {"en": "Data literacy", "de": "Datenkompetenz"}.
_LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")


def _check_language_map(value: dict[str, str]) -> dict[str, str]:
    for tag in value:
        if not _LANG_TAG.match(tag):
            raise ValueError(f"'{tag}' is not a language tag (use e.g. 'en', 'de', 'pt-PT')")
    return {tag: text for tag, text in value.items() if text is not None}


LanguageMap = Annotated[
    dict[str, str], AfterValidator(_check_language_map), Field(default_factory=dict)
]


class Model(BaseModel):
    """Base of every specification part: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_M = TypeVar("_M", bound="Model")


def _empty(model: type[_M]) -> Callable[[], _M]:
    """Return a factory of the part with every field at its default (an element not yet given)."""
    return lambda: model.model_validate({})


class LearnerIdentifier(StrEnum):
    """How a learner can be identified on the awarded credential (element 1)."""

    full_name = "full_name"
    email = "email"
    institutional_id = "institutional_id"
    did = "did"
    date_of_birth = "date_of_birth"
    national_id = "national_id"


class LearnerIdentification(Model):
    """Element 1: the learner is identified at award time; the specification declares how."""

    required: list[LearnerIdentifier] = Field(default_factory=list)
    optional: list[LearnerIdentifier] = Field(default_factory=list)
    note: LanguageMap


class AwardingBody(Model):
    """Element 4: an organisation that awards the credential (several for a joint award)."""

    name: LanguageMap
    id: str | None = None  # URL, DID or other stable identifier
    legal_identifier: str | None = None  # national register / VAT / eIDAS identifier
    country: str | None = None  # country URI (publications.europa.eu authority table)
    homepage: str | None = None
    is_higher_education: bool = False


class LearningOutcome(Model):
    """Element 6: one learning outcome, optionally linked to ESCO skills."""

    text: LanguageMap
    esco_skills: list[str] = Field(default_factory=list)  # http://data.europa.eu/esco/skill/{uuid}


class Workload(Model):
    """Element 7: notional workload, in ECTS wherever possible, and/or hours."""

    ects: float | None = Field(default=None, ge=0)
    hours: float | None = Field(default=None, ge=0)


class QfEheaCycle(StrEnum):
    short = "short"
    first = "first"
    second = "second"
    third = "third"


class Level(Model):
    """Element 8: EQF level (URI) and, for higher education, the QF-EHEA cycle."""

    eqf: str | None = None  # http://data.europa.eu/snb/eqf/{1..8}
    qf_ehea_cycle: QfEheaCycle | None = None
    nqf: str | None = None  # national framework level, free text or URI


class Assessment(Model):
    """Element 9: type(s) of assessment, and how the outcomes are judged."""

    types: list[str] = Field(default_factory=list)  # http://data.europa.eu/snb/assessment/...
    description: LanguageMap
    criteria: LanguageMap  # transparent criteria the outcomes are assessed against (Annex II.4)


class Participation(Model):
    """Element 10: form of participation in the learning activity."""

    # http://data.europa.eu/snb/learning-assessment/...
    modes: list[str] = Field(default_factory=list)
    learning_setting: str | None = None  # http://data.europa.eu/snb/learning-setting/...
    schedule: str | None = None  # http://data.europa.eu/snb/learning-schedule/...
    synchronous: bool | None = None
    weekly_hours: float | None = Field(default=None, ge=0)
    description: LanguageMap


class QualityAssurance(Model):
    """Element 11: type of quality assurance underpinning the micro-credential."""

    types: list[str] = Field(default_factory=list)  # http://data.europa.eu/snb/accreditation/...
    internal: bool | None = None  # the provider's internal QA covers it
    external: bool | None = None  # an external agency reviewed it
    esg_compliant: bool | None = None  # QA under the Standards and Guidelines for QA in the EHEA
    agency: str | None = None
    agency_url: str | None = None
    link: str | None = None  # public QA report or policy
    description: LanguageMap


class Supervision(StrEnum):
    """Optional element 2: supervision and identity verification during assessment."""

    unsupervised_no_id_verification = "unsupervised_no_id_verification"
    supervised_no_id_verification = "supervised_no_id_verification"
    supervised_online_with_id_verification = "supervised_online_with_id_verification"
    supervised_onsite_with_id_verification = "supervised_onsite_with_id_verification"


class GradingScheme(Model):
    """Optional element 3: how a grade is expressed."""

    title: LanguageMap
    description: LanguageMap
    grades: list[str] = Field(default_factory=list)  # allowed grade values, best first
    pass_grades: list[str] = Field(default_factory=list)


class StackabilityKind(StrEnum):
    standalone = "standalone"
    integrated_stackable = "integrated_stackable"


class StackingTarget(Model):
    title: LanguageMap
    id: str | None = None  # URL or URN of the larger credential or programme
    ects_recognised: float | None = Field(default=None, ge=0)


class Stackability(Model):
    """Optional element 4: stand-alone, or integrated and stackable toward larger credentials."""

    kind: StackabilityKind | None = None
    targets: list[StackingTarget] = Field(default_factory=list)
    note: LanguageMap


class Price(Model):
    amount: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    funding: LanguageMap


class Specification(Model):
    """A micro-credential as designed: every Annex I element, plus what learners need to choose."""

    # --- mandatory elements (Annex I) ---
    learner_identification: LearnerIdentification = Field(
        default_factory=_empty(LearnerIdentification)
    )
    title: LanguageMap  # 2
    issuer_countries: list[str] = Field(default_factory=list)  # 3: country URIs
    nuts_regions: list[str] = Field(default_factory=list)  # 3: NUTS codes, e.g. "DEA58"
    awarding_bodies: list[AwardingBody] = Field(default_factory=list)  # 4
    # 5, date of issuing, is set on each award; the specification carries no date of its own.
    learning_outcomes: list[LearningOutcome] = Field(default_factory=list)  # 6
    workload: Workload = Field(default_factory=Workload)  # 7
    level: Level = Field(default_factory=Level)  # 8
    assessment: Assessment = Field(default_factory=_empty(Assessment))  # 9
    participation: Participation = Field(default_factory=_empty(Participation))  # 10
    quality_assurance: QualityAssurance = Field(default_factory=_empty(QualityAssurance))  # 11

    # --- optional elements (Annex I) ---
    prerequisites: LanguageMap  # O1
    supervision: Supervision | None = None  # O2
    grading_scheme: GradingScheme | None = None  # O3
    stackability: Stackability = Field(default_factory=_empty(Stackability))  # O4
    further_information: LanguageMap  # O5
    further_information_url: str | None = None

    # --- description and guidance (Annex II, learners' choice) ---
    description: LanguageMap
    isced_f: list[str] = Field(default_factory=list)  # http://data.europa.eu/snb/isced-f/{code}
    languages_of_instruction: list[str] = Field(default_factory=list)  # ISO 639-1, e.g. "en"
    duration: str | None = Field(  # ISO 8601, e.g. "P10W"
        default=None, pattern=r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$", min_length=3
    )
    price: Price | None = None
    # http://data.europa.eu/snb/target-group/...
    target_groups: list[str] = Field(default_factory=list)
    relevance: LanguageMap  # why it is offered: societal / labour-market need (Annex II.3)
    review_date: date | None = None  # when the offer is next reviewed (Annex II.3)
    recognition: LanguageMap  # how it is recognised (credit, RPL, Lisbon Convention) (Annex II.6)
    guidance_contact: str | None = None  # email or URL for information and guidance (Annex II.10)
    homepage: str | None = None
    local_label: str | None = None  # the institution's own word: "certificate", "MOOC", ...
    start_dates: list[date] = Field(default_factory=list)  # when the next runs begin
    # How long an awarded credential stays valid (ISO 8601, e.g. "P3Y"); None: no expiry.
    default_validity: str | None = Field(
        default=None, pattern=r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$", min_length=3
    )


def localise(value: dict[str, str], lang: str, fallback: str = "en") -> str:
    """Return the text of a language map in ``lang``, else ``fallback``, else any language."""
    if not value:
        return ""
    if lang in value:
        return value[lang]
    base = lang.split("-")[0]
    for tag, text in value.items():
        if tag.split("-")[0] == base:
            return text
    if fallback in value:
        return value[fallback]
    return next(iter(value.values()))
