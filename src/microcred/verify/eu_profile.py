"""The EU profile check: what an Open Badges 3.0 credential says, judged by the EU rules.

A gap here is information for the reader (the credential may describe a course that is not a
micro-credential in the Council Recommendation's sense); it never makes the credential false.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any

import orjson

from microcred.domain.compliance import check
from microcred.domain.specification import Specification
from microcred.formats.ob3 import Ob3Error, specification_from_ob3
from microcred.i18n import N_, current_language
from microcred.verify.data_model import OB3_TYPES
from microcred.verify.document import types_of
from microcred.verify.report import CheckResult, CheckStatus, Said, ok, said, skipped
from microcred.verify.report import result as check_result
from microcred.verify.subject import Subject

NAME = "eu_profile"

# Judgements by achievement: every credential of one specification carries the same
# achievement, and judging it is a third of verifying an OB 3.0 credential. Keyed by the
# achievement's exact JSON, the rules' settings, the day and the reader's language.
_JUDGED_MAX = 256
_judged: OrderedDict[tuple[bytes, int, date, str], CheckResult] = OrderedDict()
_judged_lock = threading.Lock()


def check_eu_profile(subject: Subject, *, eslp_min_eqf: int = 5) -> CheckResult:
    """Return ok when the credential states every EU standard element; otherwise a warning."""
    document = subject.parsed
    if not set(OB3_TYPES) & set(types_of(document)):
        return skipped(NAME, said(N_("not an Open Badges 3.0 credential, so not judged here")))
    key = _judgement_key(document, eslp_min_eqf, subject.now.date())
    with _judged_lock:
        known = _judged.get(key) if key is not None else None
    if known is not None:
        return known.model_copy(deep=True)
    try:
        spec = specification_from_ob3(document)
    except Ob3Error as error:
        result = _warning(
            said(N_("the achievement cannot be read as a micro-credential")), technical=str(error)
        )
    else:
        result = judge_specification(spec, subject, eslp_min_eqf=eslp_min_eqf)
    if key is not None:
        with _judged_lock:
            _judged[key] = result.model_copy(deep=True)
            while len(_judged) > _JUDGED_MAX:
                _judged.popitem(last=False)
    return result


def _judgement_key(
    document: Any, eslp_min_eqf: int, today: date
) -> tuple[bytes, int, date, str] | None:
    """What the judgement depends on: the achievement alone (see `specification_from_ob3`)."""
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict):
        return None
    try:
        text = orjson.dumps(achievement)
    except (orjson.JSONEncodeError, TypeError):
        return None
    return text, eslp_min_eqf, today, current_language()


def judge_specification(
    spec: Specification, subject: Subject, *, eslp_min_eqf: int = 5
) -> CheckResult:
    """Return ok when the credential's micro-credential states every EU standard element."""
    report = check(spec, eslp_min_eqf=eslp_min_eqf, today=subject.now.date())
    verdicts = {v.profile: v.compliant for v in report.verdicts}
    if report.compliant:
        return ok(
            NAME,
            said(N_("states every EU standard element (Council Recommendation 2022/C 243/02)")),
            profiles=verdicts,
        )
    # The messages are in the request's language already (the judgement is kept per language).
    errors = [f"{issue.rule}: {issue.message}" for issue in report.errors]
    return _warning(problems_summary(errors), profiles=verdicts, problems=errors)


def problems_summary(problems: list[str], shown: int = 3) -> Said:
    """Return the count of ``problems`` and the first ``shown``, saying when some are left out."""
    listed = "; ".join(problems[:shown])
    if len(problems) == 1:
        return said(
            N_("one EU standard element is missing or incomplete: %(problems)s"), problems=listed
        )
    if len(problems) <= shown:
        message = N_("%(count)s EU standard elements are missing or incomplete: %(problems)s")
        return said(message, count=len(problems), problems=listed)
    message = N_(
        "%(count)s EU standard elements are missing or incomplete; the first %(shown)s: "
        "%(problems)s"
    )
    return said(message, count=len(problems), shown=shown, problems=listed)


def _warning(reason: Said, **details: object) -> CheckResult:
    return check_result(NAME, CheckStatus.warning, reason, dict(details))
