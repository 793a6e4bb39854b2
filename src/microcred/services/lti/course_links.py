"""Linking a course to a micro-credential by LTI deep linking, and the links made so.

A deep-linking launch by someone who teaches the course is kept as a *pick* (its token handed
to the page once, hashed here, used once, for thirty minutes). The instructor picks one of the
institution's published micro-credentials and the rule that earns it; the course link is stored
and the answer to the platform is a JWT signed by the tool with one ``ltiResourceLink`` item.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from microcred.domain.course_rule import CourseRule, RuleKind
from microcred.domain.specification_status import SpecificationStatus
from microcred.services.catalogue import Catalogue, CatalogueError
from microcred.services.lti.launch import CLAIM, DEEP_LINKING_REQUEST, Launch, LaunchRefused
from microcred.services.lti.platforms import Platform, Platforms
from microcred.services.lti.tool_key import ToolKey
from microcred.services.secret_tokens import secret_hash
from microcred.store.base import utc_now
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.lti_tables import LtiCourseLinkRow, LtiPickRow, LtiPlatformRow

PICK_LIFETIME = timedelta(minutes=30)
# An http(s) URL whose host part can be named in a Content-Security-Policy as it is.
WEB_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[^\s]*)?$")
RESPONSE_LIFETIME_SECONDS = 600
LINK_PARAMETER = "microcred_link"


class LinkRefused(ValueError):
    """A pick or link that cannot be made; the message says why."""


@dataclass(frozen=True)
class CourseLink:
    id: str
    platform_id: str
    institution: str
    context_id: str
    context_title: str
    specification_id: str
    rule: CourseRule
    memberships_url: str | None
    lineitems_url: str | None


@dataclass(frozen=True)
class DeepLinkAnswer:
    """What goes back to the platform: the signed JWT and where the browser posts it."""

    link: CourseLink
    return_url: str
    jwt: str


class CourseLinks:
    def __init__(self, db: Database, catalogue: Catalogue, tool_key: ToolKey, launch_url: str):
        self.db = db
        self.catalogue = catalogue
        self.tool_key = tool_key
        self.launch_url = launch_url

    def keep_pick(self, launch: Launch) -> str:
        """Return the token of a new pick for a deep-linking ``launch`` by a teacher."""
        if launch.message_type != DEEP_LINKING_REQUEST:
            raise LinkRefused("this launch is not a deep-linking request")
        if not launch.teaches:
            raise LinkRefused("only an instructor of the course may link a micro-credential")
        settings = launch.deep_linking
        return_url = settings.get("deep_link_return_url")
        if not isinstance(return_url, str) or not WEB_URL.match(return_url):
            raise LinkRefused("the deep-linking request names no usable return URL")
        accepted = settings.get("accept_types")
        if isinstance(accepted, list) and "ltiResourceLink" not in accepted:
            raise LinkRefused("the platform accepts no LTI resource link here")
        token = secrets.token_urlsafe(32)
        kept = {
            "deployment_id": launch.deployment_id,
            "context_id": launch.context_id,
            "context_title": launch.context_title,
            "return_url": return_url,
            "data": settings.get("data") if isinstance(settings.get("data"), str) else None,
            "memberships_url": launch.memberships_url,
            "lineitems_url": launch.lineitems_url,
        }
        with self.db.transaction() as session:
            session.add(
                LtiPickRow(
                    token_hash=secret_hash(token),
                    platform_id=launch.platform.id,
                    launch=kept,
                    expires_at=utc_now() + PICK_LIFETIME,
                )
            )
        return token

    def pick(self, token: str) -> tuple[Platform, dict[str, Any]]:
        """Return the platform and course of an open pick; raises `LinkRefused`."""
        with self.db.transaction(write=False) as session:
            row = session.get(LtiPickRow, secret_hash(token))
            if row is None or row.used_at is not None or row.expires_at <= utc_now():
                raise LinkRefused("this choice is unknown, made already or expired")
            platform_id, kept = row.platform_id, dict(row.launch)
        platform = Platforms(self.db).get(platform_id)
        if platform is None:
            raise LinkRefused("the platform of this choice is no longer registered")
        return platform, kept

    def link(self, token: str, spec_id: str, rule: CourseRule) -> DeepLinkAnswer:
        """Return the answer linking the pick's course to ``spec_id`` under ``rule``; the pick is
        used up. Raises `LinkRefused` (nothing is stored then)."""
        platform, kept = self.pick(token)
        try:
            record = self.catalogue.get(spec_id, status=SpecificationStatus.published)
        except (CatalogueError, ValueError):
            raise LinkRefused("no published micro-credential has this id") from None
        if record.institution != platform.institution:
            raise LinkRefused("this micro-credential is not one of the platform's institution")
        link_id = str(uuid.uuid4())
        with self.db.transaction() as session:
            used = session.execute(
                sa.update(LtiPickRow)
                .where(LtiPickRow.token_hash == secret_hash(token), LtiPickRow.used_at.is_(None))
                .values(used_at=utc_now())
            )
            if used.rowcount != 1:  # type: ignore[attr-defined]
                raise LinkRefused("this choice was made already")
            session.add(
                LtiCourseLinkRow(
                    id=link_id,
                    platform_id=platform.id,
                    deployment_id=kept["deployment_id"],
                    context_id=kept["context_id"],
                    context_title=kept["context_title"],
                    specification_id=record.id,
                    rule=rule.kind.value,
                    threshold=rule.threshold,
                    activity=rule.activity,
                    memberships_url=kept.get("memberships_url"),
                    lineitems_url=kept.get("lineitems_url"),
                )
            )
        link = self.get(link_id)
        assert link is not None
        title = record.specification.title
        name = str(title.get("en") or next(iter(title.values()), "Micro-credential"))
        return DeepLinkAnswer(link, kept["return_url"], self._answer(platform, kept, link, name))

    def _answer(
        self, platform: Platform, kept: dict[str, Any], link: CourseLink, title: str
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": platform.client_id,
            "aud": platform.issuer,
            "iat": now,
            "exp": now + RESPONSE_LIFETIME_SECONDS,
            "nonce": secrets.token_urlsafe(16),
            CLAIM + "deployment_id": kept["deployment_id"],
            CLAIM + "message_type": "LtiDeepLinkingResponse",
            CLAIM + "version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [
                {
                    "type": "ltiResourceLink",
                    "title": title,
                    "url": self.launch_url,
                    "custom": {LINK_PARAMETER: link.id},
                }
            ],
        }
        if kept.get("data"):
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = kept["data"]
        return self.tool_key.sign(claims)

    def get(self, link_id: str) -> CourseLink | None:
        with self.db.transaction(write=False) as session:
            found = session.execute(_links().where(LtiCourseLinkRow.id == link_id)).first()
            return None if found is None else _link(found[0], found[1])

    def of_institution(self, institution: str) -> list[CourseLink]:
        """Return the course links of ``institution``'s platforms, newest first."""
        with self.db.transaction(write=False) as session:
            found = session.execute(
                _links()
                .where(InstitutionRow.slug == institution)
                .order_by(LtiCourseLinkRow.created_at.desc())
            )
            return [_link(row[0], row[1]) for row in found]

    def note_launch(self, launch: Launch) -> CourseLink | None:
        """Return the course link a resource-link ``launch`` opens, keeping the roster and
        gradebook URLs it names (a platform may move them)."""
        link_id = launch.custom.get(LINK_PARAMETER)
        if not isinstance(link_id, str):
            return None
        with self.db.transaction() as session:
            row = session.get(LtiCourseLinkRow, link_id)
            if row is None or row.platform_id != launch.platform.id:
                raise LaunchRefused("this course link is not one of this platform's")
            if row.context_id != launch.context_id:
                raise LaunchRefused("this course link belongs to another course")
            row.memberships_url = launch.memberships_url or row.memberships_url
            row.lineitems_url = launch.lineitems_url or row.lineitems_url
        return self.get(link_id)


def _links() -> sa.Select[LtiCourseLinkRow, str]:
    return (
        sa.select(LtiCourseLinkRow, InstitutionRow.slug)
        .join(LtiPlatformRow, LtiPlatformRow.id == LtiCourseLinkRow.platform_id)
        .join(InstitutionRow, InstitutionRow.id == LtiPlatformRow.institution_id)
    )


def _link(row: LtiCourseLinkRow, institution: str) -> CourseLink:
    return CourseLink(
        id=row.id,
        platform_id=row.platform_id,
        institution=institution,
        context_id=row.context_id,
        context_title=row.context_title,
        specification_id=row.specification_id,
        rule=CourseRule(RuleKind(row.rule), row.threshold, row.activity),
        memberships_url=row.memberships_url,
        lineitems_url=row.lineitems_url,
    )
