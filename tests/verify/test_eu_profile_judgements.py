"""The EU profile check judges each achievement once: the same answer as judging afresh, for
every credential of a specification, in the reader's language, and never a shared object."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from verify_support import CHECKED_AT, unsigned_credential

from microcred import i18n
from microcred.verify.eu_profile import _judged, check_eu_profile
from microcred.verify.report import CheckStatus
from microcred.verify.subject import Subject
from microcred.verify.trust import TrustRegistry

ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def judged(document: dict[str, Any], now=CHECKED_AT):
    subject = Subject(given=document, now=now, trust=TrustRegistry(), resolve_key=lambda _m: None)
    subject.document = document
    return check_eu_profile(subject)


def without_outcomes() -> dict[str, Any]:
    document = unsigned_credential(ISSUER)
    achievement = document["credentialSubject"]["achievement"]
    for element in ("learningOutcome", "assessment", "qualityAssurance", "notionalWorkloadHours"):
        achievement.pop(element)
    return document


def test_a_remembered_judgement_equals_a_fresh_one() -> None:
    _judged.clear()
    first = judged(unsigned_credential(ISSUER))
    other_learner = judged(unsigned_credential(ISSUER, issued_on=CHECKED_AT - timedelta(days=3)))
    assert len(_judged) == 1
    assert other_learner == first
    _judged.clear()
    assert judged(unsigned_credential(ISSUER, issued_on=CHECKED_AT - timedelta(days=3))) == first


def test_another_achievement_is_judged_on_its_own() -> None:
    complete = judged(unsigned_credential(ISSUER))
    lacking = judged(without_outcomes())
    assert complete.status == CheckStatus.ok
    assert lacking.status == CheckStatus.warning
    assert lacking.details["problems"]


def test_the_reader_s_language_and_day_are_part_of_the_judgement() -> None:
    document = without_outcomes()
    english = judged(document)
    i18n.set_language("de")
    try:
        german = judged(copy.deepcopy(document))
    finally:
        i18n.set_language("en")
    assert german.details["problems"] != english.details["problems"]
    _judged.clear()
    judged(document)
    judged(document, now=CHECKED_AT + timedelta(days=1))
    assert len(_judged) == 2  # rules that look at dates (review dates) see the day


def test_what_a_caller_changes_in_its_result_is_not_remembered() -> None:
    _judged.clear()
    first = judged(without_outcomes())
    first.details["problems"].append("changed by a caller")
    first.reason = "changed"
    again = judged(without_outcomes())
    assert "changed by a caller" not in again.details["problems"]
    assert again.reason != "changed"
