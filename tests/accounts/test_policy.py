"""The permission policy as a table: roles, actions, institutions, scopes; no database."""

from __future__ import annotations

import pytest

from microcred.domain.accounts import (
    Action,
    Principal,
    Role,
    Scope,
    can,
    parse_scopes,
    permits,
    readable_drafts,
)

A, B = "uni-a", "uni-b"

# Which actions each role allows at its own institution; everything else is refused.
ALLOWED = {
    Role.administrator: set(Action) - {Action.manage_institutions},
    Role.designer: {Action.read_drafts, Action.edit_specification},
    Role.registrar: {
        Action.read_drafts,
        Action.issue,
        Action.change_status,
        Action.read_analytics,
    },
    Role.recognition_officer: {Action.read_drafts, Action.decide_recognition},
    Role.auditor: {Action.read_drafts, Action.read_audit, Action.read_analytics},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_allows_exactly_its_actions_at_its_own_institution(
    role: Role, action: Action
) -> None:
    assert can({A: {role}}, action, A) is (action in ALLOWED[role])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_no_role_at_a_allows_anything_at_b(role: Role, action: Action) -> None:
    assert can({A: {role}}, action, B) is False


@pytest.mark.parametrize("action", list(Action))
def test_instance_wide_actions_belong_to_no_institutional_role(action: Action) -> None:
    assert can({A: set(Role)}, action, None) is False


def test_a_learner_without_roles_may_do_nothing_protected() -> None:
    learner = Principal(1, "learner@example.org")
    assert not any(permits(learner, action, A) for action in Action)


def test_anonymous_may_do_nothing_protected() -> None:
    assert not any(permits(None, action, A) for action in Action)
    assert readable_drafts(None) == frozenset()


def test_the_operator_may_do_everything_everywhere() -> None:
    operator = Principal(1, "op@example.org", is_operator=True)
    assert all(permits(operator, action, place) for action in Action for place in (A, B, None))
    assert readable_drafts(operator) is None


def test_a_token_without_the_issue_scope_cannot_issue() -> None:
    registrar = {A: frozenset({Role.registrar})}
    without = Principal(1, "r@a.example", registrar, scopes=frozenset({Scope.read, Scope.revoke}))
    with_issue = Principal(1, "r@a.example", registrar, scopes=frozenset({Scope.issue}))
    assert permits(without, Action.issue, A) is False
    assert permits(with_issue, Action.issue, A) is True


def test_a_scope_never_adds_to_the_roles() -> None:
    designer = Principal(1, "d@a.example", {A: frozenset({Role.designer})}, scopes=frozenset(Scope))
    assert permits(designer, Action.issue, A) is False
    assert permits(designer, Action.edit_specification, B) is False


@pytest.mark.parametrize(
    ("action", "scope"),
    [
        (Action.read_drafts, Scope.read),
        (Action.edit_specification, Scope.design),
        (Action.change_status, Scope.revoke),
        (Action.manage_accounts, Scope.admin),
    ],
)
def test_each_action_needs_its_scope(action: Action, scope: Scope) -> None:
    admin = {A: frozenset({Role.administrator})}
    others = frozenset(Scope) - {scope}
    assert permits(Principal(1, "x@a.example", admin, scopes=others), action, A) is False
    assert permits(Principal(1, "x@a.example", admin, scopes=frozenset({scope})), action, A)


def test_staff_see_drafts_of_their_own_institutions_only() -> None:
    staff = Principal(1, "x@a.example", {A: frozenset({Role.auditor}), B: frozenset()})
    assert readable_drafts(staff) == {A}


def test_unknown_scope_is_named_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown scope 'write'; known: read, design"):
        parse_scopes(["write"])
    with pytest.raises(ValueError, match="at least one scope"):
        parse_scopes([])
