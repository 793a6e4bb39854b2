"""A course sync: who in the course has earned its micro-credential, as rows for a bulk award.

The roster (NRPS) says who learns in the course; the gradebook (AGS) gives their results; the
course link's rule says who has earned it. The rows go to a bulk award job (started by the
caller), whose idempotency keys (specification version and learner) make a second sync award
nobody twice. A learner with no e-mail address nor student id is reported, not awarded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from microcred.domain.course_rule import Result
from microcred.services.lti.course_links import CourseLink
from microcred.services.lti.platforms import Platform
from microcred.services.lti.services_client import Member, PlatformServices, ServiceError
from microcred.services.lti.tool_key import ToolKey

COLUMNS = ["name", "email", "institutional_id"]


class SyncError(RuntimeError):
    """The course could not be read; the message says why. Nothing was awarded."""


@dataclass
class SyncRows:
    """The learners who earned the credential (bulk rows) and those who could not be awarded."""

    learners: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def sync_rows(
    link: CourseLink, platform: Platform, tool_key: ToolKey, awarded_on: date
) -> SyncRows:
    """Return the bulk rows of the learners of ``link``'s course who meet its rule."""
    if not link.memberships_url or not link.lineitems_url:
        raise SyncError(
            "the platform has not given this course's roster and gradebook services; "
            "enable Names and Role Provisioning and Assignment and Grade Services for the tool"
        )
    services = PlatformServices(platform, tool_key)
    try:
        learners = [member for member in services.members(link.memberships_url) if member.learns]
        results = _results(services, link.lineitems_url, {m.user_id for m in learners})
    except ServiceError as error:
        raise SyncError(str(error)) from None
    earned = link.rule.earned(results)
    found = SyncRows(learners=len(learners))
    for member in learners:
        if member.user_id in earned:
            _add(found, member, awarded_on)
    return found


def _results(services: PlatformServices, lineitems_url: str, learners: set[str]) -> list[Result]:
    """Return a result for every learner and column (score None where none is given)."""
    results = []
    for item in services.line_items(lineitems_url):
        scores = {score.user_id: score for score in services.results(item, lineitems_url)}
        for learner in learners:
            score = scores.get(learner)
            maximum = (score.maximum if score else None) or item.maximum
            results.append(Result(learner, item.label, score.score if score else None, maximum))
    return results


def _add(found: SyncRows, member: Member, awarded_on: date) -> None:
    number = len(found.rows) + len(found.rejected) + 1
    raw = {"name": member.name or "", "email": member.email or "", "lms_user": member.user_id}
    if not member.email and not member.sourced_id:
        reason = "the platform gave neither an e-mail address nor a student id for this learner"
        found.rejected.append({"row": number, "reason": reason, "raw": raw})
        return
    learner = {"name": member.name, "email": member.email, "institutional_id": member.sourced_id}
    found.rows.append(
        {
            "row": number,
            "learner": learner,
            "grade": None,
            "awarded_on": awarded_on.isoformat(),
            "raw": raw,
        }
    )
