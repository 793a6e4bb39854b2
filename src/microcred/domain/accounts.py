"""Who may do what: staff roles per institution, API token scopes, and the permission policy.

Pure rules, no I/O. A person holds roles at institutions (a membership is user × institution ×
role); an account without any role is a learner. The instance operator is a superuser: they
run the server, its database and its key-encryption key, so the application does not pretend
to restrain them. An API token acts for its user, narrowed to the scopes it was given.
See docs/roles.md for the same table in prose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar


class Role(StrEnum):
    """A staff role at one institution."""

    administrator = "administrator"
    designer = "designer"
    registrar = "registrar"
    recognition_officer = "recognition-officer"
    auditor = "auditor"


class Scope(StrEnum):
    """What an API token may be used for (always within its user's roles)."""

    read = "read"
    design = "design"
    issue = "issue"
    revoke = "revoke"
    recognise = "recognise"
    admin = "admin"


class Action(StrEnum):
    """Something protected that a person can ask to do at an institution."""

    read_drafts = "read-drafts"  # non-public specifications: drafts and their compliance
    edit_specification = "edit-specification"  # create, edit, publish, archive
    issue = "issue"
    change_status = "change-status"  # revoke, suspend, reinstate
    decide_recognition = "decide-recognition"
    read_audit = "read-audit"
    read_analytics = "read-analytics"  # counts of issued, claimed, verified, revoked credentials
    manage_keys = "manage-keys"
    manage_accounts = "manage-accounts"  # the institution's memberships and tokens
    manage_branding = "manage-branding"  # logo and colours of pages, e-mails and PDFs
    manage_institutions = "manage-institutions"  # create institutions: operator only


_STAFF_READ = {Action.read_drafts}

ROLE_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.designer: frozenset(_STAFF_READ | {Action.edit_specification}),
    Role.registrar: frozenset(
        _STAFF_READ | {Action.issue, Action.change_status, Action.read_analytics}
    ),
    Role.recognition_officer: frozenset(_STAFF_READ | {Action.decide_recognition}),
    Role.auditor: frozenset(_STAFF_READ | {Action.read_audit, Action.read_analytics}),
    Role.administrator: frozenset(set(Action) - {Action.manage_institutions}),
}

# The scope a token needs for each action, on top of its user being allowed the action.
ACTION_SCOPES: Mapping[Action, Scope] = {
    Action.read_drafts: Scope.read,
    Action.read_audit: Scope.read,
    Action.read_analytics: Scope.read,
    Action.edit_specification: Scope.design,
    Action.issue: Scope.issue,
    Action.change_status: Scope.revoke,
    Action.decide_recognition: Scope.recognise,
    Action.manage_keys: Scope.admin,
    Action.manage_accounts: Scope.admin,
    Action.manage_branding: Scope.admin,
    Action.manage_institutions: Scope.admin,
}

# Institution -> the roles held there.
UserRoles = Mapping[str, Iterable[Role]]


def can(user_roles: UserRoles, action: Action, institution: str | None) -> bool:
    """True when the roles allow ``action`` at ``institution`` (None: the instance itself).

    Instance-wide actions (``institution`` None) and creating institutions belong to the
    operator alone, so no institutional role allows them.
    """
    if institution is None or action == Action.manage_institutions:
        return False
    return any(action in ROLE_ACTIONS[role] for role in user_roles.get(institution, ()))


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user, or a user's API token (``scopes`` set)."""

    user_id: int | None
    email: str
    roles: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    is_operator: bool = False
    scopes: frozenset[Scope] | None = None  # None: a browser session, every scope

    @property
    def label(self) -> str:
        """Return how the audit log names this principal."""
        return f"{self.email} (API token)" if self.scopes is not None else self.email

    def staff_of(self) -> frozenset[str]:
        """Return the institutions where this principal holds any staff role."""
        return frozenset(slug for slug, roles in self.roles.items() if roles)


def permits(principal: Principal | None, action: Action, institution: str | None) -> bool:
    """True when ``principal`` may do ``action`` at ``institution``; anonymous may do nothing."""
    if principal is None:
        return False
    if principal.scopes is not None and ACTION_SCOPES[action] not in principal.scopes:
        return False
    return principal.is_operator or can(principal.roles, action, institution)


def readable_drafts(principal: Principal | None) -> frozenset[str] | None:
    """Return the institutions whose drafts ``principal`` may see; None means every one."""
    if principal is None:
        return frozenset()
    if principal.is_operator and permits(principal, Action.read_drafts, None):
        return None
    return frozenset(
        slug for slug in principal.roles if permits(principal, Action.read_drafts, slug)
    )


def parse_roles(names: Iterable[str]) -> frozenset[Role]:
    """Return the roles named; raises ValueError naming the unknown one and the known ones."""
    return frozenset(_parse(Role, name, "role") for name in names)


def parse_scopes(names: Iterable[str]) -> frozenset[Scope]:
    """Return the scopes named; raises ValueError naming the unknown one and the known ones."""
    scopes = frozenset(_parse(Scope, name, "scope") for name in names)
    if not scopes:
        raise ValueError(f"give at least one scope: {', '.join(Scope)}")
    return scopes


E = TypeVar("E", bound=StrEnum)


def _parse(kind: type[E], name: str, what: str) -> E:
    try:
        return kind(name.strip().lower())
    except ValueError:
        known = ", ".join(kind)
        raise ValueError(f"unknown {what} {name!r}; known: {known}") from None
