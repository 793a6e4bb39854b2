"""Calling a platform's LTI Advantage services: an access token by the client-credentials grant
with a signed JWT assertion (RFC 7523), the course roster (Names and Role Provisioning) and the
gradebook (Assignment and Grade Services: line items and their results).

Every call goes through the fetch policy with one deadline for the whole sync, and every
collection has a budget: at most ``MAX_PAGES`` pages, ``MAX_MEMBERS`` members and
``MAX_LINE_ITEMS`` line items, so a platform cannot keep a sync busy without end.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from microcred.net import FetchRefused, fetch
from microcred.services.lti.platforms import Platform
from microcred.services.lti.tool_key import ToolKey

SCOPES = (
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
)
MEMBERSHIPS = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
LINE_ITEMS = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS = "application/vnd.ims.lis.v2.resultcontainer+json"
FORM = "application/x-www-form-urlencoded"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 300
SYNC_SECONDS = 60.0
MAX_PAGES = 50
MAX_MEMBERS = 20_000
MAX_LINE_ITEMS = 200
NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class ServiceError(RuntimeError):
    """A platform service did not answer usably; the message says which and why."""


@dataclass(frozen=True)
class Member:
    user_id: str
    name: str | None
    email: str | None
    sourced_id: str | None  # the student information system's id, when the platform gives it
    roles: tuple[str, ...]
    active: bool

    @property
    def learns(self) -> bool:
        return self.active and any(role.split("#")[-1] == "Learner" for role in self.roles)


@dataclass(frozen=True)
class LineItem:
    id: str
    label: str
    maximum: float | None


@dataclass(frozen=True)
class Score:
    user_id: str
    score: float | None
    maximum: float | None


class PlatformServices:
    """The services of one platform for one sync: the token is asked for once, on first use."""

    def __init__(self, platform: Platform, tool_key: ToolKey) -> None:
        self.platform = platform
        self.tool_key = tool_key
        self.until = time.monotonic() + SYNC_SECONDS
        self._token: str | None = None

    def members(self, memberships_url: str) -> list[Member]:
        """Return the course's members (every page, within the budget)."""
        members: list[Member] = []
        for page in self._pages(memberships_url, MEMBERSHIPS):
            listed = page.get("members") if isinstance(page, dict) else None
            if not isinstance(listed, list):
                raise ServiceError("the roster answer lists no 'members'")
            members.extend(_member(item) for item in listed if isinstance(item, dict))
            if len(members) > MAX_MEMBERS:
                raise ServiceError(f"the course has more than {MAX_MEMBERS:,} members")
        return [member for member in members if member.user_id]

    def line_items(self, lineitems_url: str) -> list[LineItem]:
        """Return the course's gradebook columns."""
        items: list[LineItem] = []
        for page in self._pages(lineitems_url, LINE_ITEMS):
            if not isinstance(page, list):
                raise ServiceError("the line items answer is not a list")
            items.extend(_line_item(item) for item in page if isinstance(item, dict))
            if len(items) > MAX_LINE_ITEMS:
                raise ServiceError(f"the course has more than {MAX_LINE_ITEMS} gradebook columns")
        return [item for item in items if item.id]

    def results(self, item: LineItem, lineitems_url: str) -> list[Score]:
        """Return the results of one gradebook column (of the course at ``lineitems_url``)."""
        if not same_origin(item.id, lineitems_url):
            raise ServiceError(f"the gradebook column {item.id} is not on the platform's server")
        parts = urlsplit(item.id)
        url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/results"))
        scores: list[Score] = []
        for page in self._pages(url, RESULTS):
            if not isinstance(page, list):
                raise ServiceError("the results answer is not a list")
            scores.extend(_score(entry) for entry in page if isinstance(entry, dict))
            if len(scores) > MAX_MEMBERS:
                raise ServiceError(f"a gradebook column has more than {MAX_MEMBERS:,} results")
        return [score for score in scores if score.user_id]

    def _pages(self, url: str, media_type: str) -> list[Any]:
        pages: list[Any] = []
        current: str | None = url
        while current is not None:
            if len(pages) == MAX_PAGES:
                raise ServiceError(f"{url} has more than {MAX_PAGES} pages")
            fetched = self._get(current, media_type)
            pages.append(_json(fetched.body, current))
            found = NEXT_LINK.search(fetched.headers.get("link", ""))
            current = found.group(1) if found else None
            if current is not None and not same_origin(current, url):
                raise ServiceError(f"{url} names a next page elsewhere; the token stays here")
        return pages

    def _get(self, url: str, media_type: str) -> Any:
        headers = (("Authorization", f"Bearer {self._access_token()}"),)
        try:
            return fetch(url, accept=media_type, json_only=True, until=self.until, headers=headers)
        except FetchRefused as refused:
            raise ServiceError(f"the platform's service could not be read: {refused}") from None

    def _access_token(self) -> str:
        if self._token is None:
            self._token = self._ask_for_token()
        return self._token

    def _ask_for_token(self) -> str:
        platform, now = self.platform, int(time.time())
        assertion = self.tool_key.sign(
            {
                "iss": platform.client_id,
                "sub": platform.client_id,
                "aud": platform.token_url,
                "iat": now,
                "exp": now + ASSERTION_LIFETIME_SECONDS,
                "jti": secrets.token_urlsafe(16),
            }
        )
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": assertion,
                "scope": " ".join(SCOPES),
            }
        ).encode("ascii")
        try:
            fetched = fetch(
                platform.token_url,
                accept="application/json",
                json_only=True,
                until=self.until,
                post=(form, FORM),
            )
        except FetchRefused as refused:
            raise ServiceError(f"the platform gave no access token: {refused}") from None
        answer = _json(fetched.body, platform.token_url)
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise ServiceError("the platform's token answer holds no access_token")
        return token


def same_origin(url: str, other: str) -> bool:
    """True when both URLs name the same scheme, host and port (where a token may go)."""
    first, second = urlsplit(url), urlsplit(other)
    try:
        return (first.scheme, first.hostname, first.port) == (
            second.scheme,
            second.hostname,
            second.port,
        )
    except ValueError:  # a port that is not a number
        return False


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise ServiceError(f"{url} did not answer JSON") from None


def _text(value: Any) -> str | None:
    return str(value)[:500] if isinstance(value, str | int) and str(value).strip() else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _member(item: dict[str, Any]) -> Member:
    roles = item.get("roles")
    return Member(
        user_id=_text(item.get("user_id")) or "",
        name=_text(item.get("name")),
        email=_text(item.get("email")),
        sourced_id=_text(item.get("lis_person_sourcedid")),
        roles=tuple(str(role) for role in roles) if isinstance(roles, list) else (),
        active=item.get("status", "Active") == "Active",
    )


def _line_item(item: dict[str, Any]) -> LineItem:
    return LineItem(
        id=_text(item.get("id")) or "",
        label=_text(item.get("label")) or "",
        maximum=_number(item.get("scoreMaximum")),
    )


def _score(entry: dict[str, Any]) -> Score:
    return Score(
        user_id=_text(entry.get("userId")) or "",
        score=_number(entry.get("resultScore")),
        maximum=_number(entry.get("resultMaximum")),
    )
