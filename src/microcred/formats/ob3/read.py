"""Read an Open Badges 3.0 credential back into a Specification, so the EU rules can judge it.

What the credential says is taken at its word: a term it lacks leaves the element empty,
and the compliance report then says the element is missing. Credentials from other issuers
carry no microcred extension; their OB 3.0 terms (name, description, criteria, credits with
no credit system, alignments) still give a partial Specification.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from microcred.domain.specification import Specification
from microcred.formats.ob3.elements import read_elements
from microcred.formats.ob3.errors import Ob3Error
from microcred.formats.ob3.profiles import read_awarding_body
from microcred.formats.ob3.render import ECTS
from microcred.formats.ob3.text import read_text

CREDENTIAL_TYPES = {"OpenBadgeCredential", "AchievementCredential"}


def specification_from_ob3(credential: dict[str, Any]) -> Specification:
    """Return the Specification an OB 3.0 credential describes; raise `Ob3Error` if unreadable."""
    achievement = _achievement_of(credential)
    language = achievement.get("inLanguage") or "en"
    if not isinstance(language, str):
        raise Ob3Error("achievement.inLanguage", f"expected a language tag, got {language!r}")
    try:
        fields = read_elements(achievement, language)
        fields["title"] = read_text(achievement.get("name"), language)
        fields["description"] = read_text(achievement.get("description"), language)
        _read_workload(achievement, fields)
        _read_awarding_bodies(achievement, language, fields)
        _read_learning_outcomes(achievement, language, fields)
        _read_stacking_targets(achievement, language, fields)
        _read_grading_scheme(achievement, language, fields)
    except (TypeError, ValueError) as error:
        raise Ob3Error("credentialSubject.achievement", str(error)) from error
    try:
        return Specification.model_validate(fields)
    except ValidationError as error:
        raise Ob3Error("credentialSubject.achievement", _problems(error)) from error


def _achievement_of(credential: Any) -> dict[str, Any]:
    if not isinstance(credential, dict):
        raise Ob3Error("$", f"a credential must be a JSON object, got {type(credential).__name__}")
    types = _as_list(credential.get("type"))
    if not CREDENTIAL_TYPES & set(types):
        raise Ob3Error("type", f"not an Open Badges 3.0 credential: type is {types!r}")
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, dict):
        raise Ob3Error("credentialSubject", "expected one AchievementSubject object")
    achievement = subject.get("achievement")
    if not isinstance(achievement, dict):
        raise Ob3Error("credentialSubject.achievement", "expected an Achievement object")
    return achievement


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _read_workload(achievement: dict[str, Any], fields: dict[str, Any]) -> None:
    # Open Badges credits are often US credit hours; only a stated ECTS system makes them ECTS.
    credits = achievement.get("creditsAvailable")
    if credits is not None and achievement.get("creditSystem") == ECTS:
        fields.setdefault("workload", {})["ects"] = credits


def _read_awarding_bodies(
    achievement: dict[str, Any], language: str, fields: dict[str, Any]
) -> None:
    profiles = _as_list(achievement.get("awardingBody")) or _as_list(achievement.get("creator"))
    fields["awarding_bodies"] = [read_awarding_body(profile, language) for profile in profiles]


def _read_learning_outcomes(
    achievement: dict[str, Any], language: str, fields: dict[str, Any]
) -> None:
    fields["learning_outcomes"] = [
        {
            "text": read_text(outcome.get("name"), language),
            "esco_skills": _as_list(outcome.get("relatedSkill")),
        }
        for outcome in _objects(achievement.get("learningOutcome"), "learningOutcome")
    ]


def _read_stacking_targets(
    achievement: dict[str, Any], language: str, fields: dict[str, Any]
) -> None:
    stackability = achievement.get("stackability")
    if not isinstance(stackability, dict):
        return
    fields.setdefault("stackability", {})["targets"] = [
        {
            "title": read_text(target.get("name"), language),
            "id": target.get("id"),
            "ects_recognised": target.get("ectsRecognised"),
        }
        for target in _objects(stackability.get("stackingTarget"), "stackingTarget")
    ]


def _read_grading_scheme(
    achievement: dict[str, Any], language: str, fields: dict[str, Any]
) -> None:
    descriptions = _objects(achievement.get("resultDescription"), "resultDescription")
    if not descriptions:
        return
    scheme = descriptions[0]
    fields["grading_scheme"] = {
        "title": read_text(scheme.get("name"), language),
        "description": read_text(scheme.get("description"), language),
        "grades": list(reversed(_as_list(scheme.get("allowedValue")))),
        "pass_grades": _as_list(scheme.get("passGrade")),
    }


def _objects(value: Any, term: str) -> list[dict[str, Any]]:
    items = _as_list(value)
    if not all(isinstance(item, dict) for item in items):
        raise ValueError(f"{term}: expected a list of objects, got {value!r}")
    return items


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )
