"""What an award is given: the learner, the grade and the date, checked against the specification.

`LearnerInput` is the learner as a registrar types or uploads them; `check_award_input` says,
one `AwardInputProblem` per field, what stops an award of a given specification: a missing
identifier the specification requires, an e-mail address that is not one, a grade outside the
specification's grading scheme, a date in the future. `learner_key` and `idempotency_key` say
which learner an award is for, so that the same learner is never awarded the same version twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from microcred.domain.specification import LearnerIdentifier, Specification
from microcred.i18n import N_, gettext_

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class LearnerInput(BaseModel):
    """The learner of one award; the e-mail address is kept in lower case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    name: str | None = None
    email: str | None = None
    institutional_id: str | None = None
    did: str | None = None
    date_of_birth: date | None = None
    language: str | None = None  # BCP 47, for e-mails to the learner

    @field_validator("name", "email", "institutional_id", "did", "language", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("email")
    @classmethod
    def _lower_case_email(cls, value: str | None) -> str | None:
        return value.lower() if value else value


@dataclass(frozen=True)
class AwardInputProblem:
    """One reason an award cannot be made; ``field`` names the input to fix.

    ``template`` (marked with ``N_``) and ``values`` keep the sentence translatable: ``message``
    is it in English (the API's), ``text()`` in the language of the request being served.
    """

    field: str
    template: str
    values: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.values if self.values else self.template

    def sentence(self) -> str:
        """Return the message in the current language (shown next to its field)."""
        translated = gettext_(self.template)
        return translated % self.values if self.values else translated

    def text(self) -> str:
        """Return "Grade: unknown grade …" in the current language, the field named in words."""
        label = FIELD_LABELS.get(self.field)
        return f"{gettext_(label)}: {self.sentence()}" if label else self.sentence()

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


# The inputs of an award as a registrar knows them (a gradebook's columns, the form's fields).
FIELD_LABELS = {
    "name": N_("Name"),
    "email": N_("E-mail"),
    "institutional_id": N_("Institutional id"),
    "did": N_("DID"),
    "date_of_birth": N_("Date of birth"),
    "language": N_("Language"),
    "grade": N_("Grade"),
    "awarded_on": N_("Date awarded"),
}
_REQUIRED_FIELDS = {
    LearnerIdentifier.full_name: (
        "name",
        N_("this micro-credential requires the learner's full name"),
    ),
    LearnerIdentifier.email: (
        "email",
        N_("this micro-credential requires the learner's e-mail address"),
    ),
    LearnerIdentifier.institutional_id: (
        "institutional_id",
        N_("this micro-credential requires the learner's institutional id"),
    ),
    LearnerIdentifier.did: ("did", N_("this micro-credential requires the learner's DID")),
    LearnerIdentifier.date_of_birth: (
        "date_of_birth",
        N_("this micro-credential requires the learner's date of birth"),
    ),
}


def check_award_input(
    specification: Specification,
    learner: LearnerInput,
    grade: str | None,
    awarded_on: date,
    today: date,
) -> list[AwardInputProblem]:
    """Return every problem that stops this award of ``specification``; empty when it can go."""
    problems = []
    for identifier in specification.learner_identification.required:
        if identifier in _REQUIRED_FIELDS:
            field, required = _REQUIRED_FIELDS[identifier]
            if getattr(learner, field) is None:
                problems.append(AwardInputProblem(field, required))
    if not (learner.email or learner.institutional_id or learner.did):
        problems.append(
            AwardInputProblem("email", N_("give an e-mail address, an institutional id or a DID"))
        )
    if learner.email and not EMAIL.match(learner.email):
        problems.append(
            AwardInputProblem(
                "email", N_("“%(value)s” is not an e-mail address"), {"value": learner.email}
            )
        )
    if learner.did and ":" not in learner.did:
        problems.append(
            AwardInputProblem(
                "did", N_("“%(value)s” is not a DID or web address"), {"value": learner.did}
            )
        )
    if learner.language and not LANGUAGE_TAG.match(learner.language):
        problems.append(
            AwardInputProblem(
                "language",
                N_("“%(value)s” is not a language code such as “de”"),
                {"value": learner.language},
            )
        )
    problems.extend(_grade_problems(specification, grade))
    if awarded_on > today:
        problems.append(
            AwardInputProblem(
                "awarded_on", N_("%(date)s is in the future"), {"date": awarded_on.isoformat()}
            )
        )
    return problems


def _grade_problems(specification: Specification, grade: str | None) -> list[AwardInputProblem]:
    scheme = specification.grading_scheme
    if grade is None or scheme is None or not scheme.grades or grade in scheme.grades:
        return []
    allowed = ", ".join(scheme.grades)
    message = N_("unknown grade “%(value)s”; this micro-credential allows %(allowed)s")
    return [AwardInputProblem("grade", message, {"value": grade, "allowed": allowed})]


def learner_key(learner: LearnerInput) -> str:
    """Return what identifies the learner: institutional id, else e-mail, else DID."""
    if learner.institutional_id:
        return f"institutional_id:{learner.institutional_id}"
    if learner.email:
        return f"email:{learner.email.lower()}"
    if learner.did:
        return f"did:{learner.did}"
    raise ValueError("the learner has no e-mail address, institutional id or DID")


def idempotency_key(spec_id: str, version: int, learner: LearnerInput, attempt: int) -> str:
    """Return the sha256 (hex) that makes one award per specification version, learner, attempt."""
    text = "\n".join((spec_id, str(version), learner_key(learner), str(attempt)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
