"""Accounts: create users, give and take roles at institutions, check passwords.

Every change is one transaction together with its audit event (actor and target, never a
secret); when a method raises, nothing it did is kept. Whether the actor may make the change
is decided at the edge (api/auth.py, the web pages) with ``domain.accounts.permits``; the CLI
acts as the operator, who holds the database anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.domain.accounts import Principal, Role, Scope, parse_roles
from microcred.services.audit import record_event
from microcred.services.passwords import WeakPassword, hash_password, password_matches
from microcred.store import institutions
from microcred.store.accounts_tables import MembershipRow, OidcIdentityRow, SessionRow, UserRow
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """An account change that cannot be made as asked; the message says what to fix."""


class AccountNotFound(AccountError, LookupError):
    pass


@dataclass(frozen=True)
class Account:
    """A user as the account pages and the CLI show it (no password hash)."""

    id: int
    email: str
    display_name: str
    is_operator: bool
    is_active: bool
    has_password: bool
    roles: dict[str, frozenset[Role]]
    created_at: datetime


def normalise_email(email: str) -> str:
    """Return ``email`` trimmed and lower-cased; raises AccountError when it is not an address."""
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 320:
        raise AccountError(f"{email!r} is not an email address such as 'ada@uni.example'")
    return cleaned


class Accounts:
    """The account use cases the CLI, the web pages and the API call."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create_user(
        self,
        email: str,
        *,
        actor: str,
        password: str | None = None,
        display_name: str = "",
        operator: bool = False,
    ) -> Account:
        """Return the new account; a password is optional (OIDC-only accounts have none)."""
        email = normalise_email(email)
        password_hash = _hashed(password) if password is not None else None
        with self.db.transaction() as session:
            if _user_by_email(session, email) is not None:
                raise AccountError(f"an account for {email} exists already")
            row = UserRow(
                email=email,
                display_name=display_name.strip(),
                password_hash=password_hash,
                is_operator=operator,
                is_active=True,
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                actor=actor,
                action="account.create",
                target=f"user:{email}",
                reason="account created",
                details={"operator": operator, "password": password is not None},
            )
            return _account(session, row)

    def set_password(self, email: str, password: str, *, actor: str) -> None:
        """Replace the account's password, and end its sessions everywhere."""
        password_hash = _hashed(password)
        with self.db.transaction() as session:
            row = _require_user(session, email)
            row.password_hash = password_hash
            session.execute(sa.delete(SessionRow).where(SessionRow.user_id == row.id))
            record_event(
                session,
                actor=actor,
                action="account.password",
                target=f"user:{row.email}",
                reason="password changed",
            )

    def get(self, email: str) -> Account:
        with self.db.transaction(write=False) as session:
            return _account(session, _require_user(session, email))

    def list_users(self, institution: str | None = None) -> list[Account]:
        """Return every account (or those with a role at ``institution``), ordered by email."""
        with self.db.transaction(write=False) as session:
            query = sa.select(UserRow).order_by(UserRow.email)
            if institution is not None:
                query = query.where(
                    UserRow.id.in_(
                        sa.select(MembershipRow.user_id).where(
                            MembershipRow.institution_id == _institution_id(session, institution)
                        )
                    )
                )
            return [_account(session, row) for row in session.scalars(query)]

    def add_role(self, email: str, institution: str, role: str, *, actor: str) -> Account:
        """Return the account after giving it ``role`` at ``institution`` (no-op if held)."""
        return self._change_role(email, institution, role, actor=actor, add=True)

    def remove_role(self, email: str, institution: str, role: str, *, actor: str) -> Account:
        """Return the account after taking ``role`` at ``institution`` away from it."""
        return self._change_role(email, institution, role, actor=actor, add=False)

    def _change_role(
        self, email: str, institution: str, role_name: str, *, actor: str, add: bool
    ) -> Account:
        try:
            [role] = parse_roles([role_name])
        except ValueError as error:
            raise AccountError(str(error)) from None
        with self.db.transaction() as session:
            user = _require_user(session, email)
            institution_id = _institution_id(session, institution)
            existing = session.scalars(
                sa.select(MembershipRow).where(
                    MembershipRow.user_id == user.id,
                    MembershipRow.institution_id == institution_id,
                    MembershipRow.role == role.value,
                )
            ).first()
            if add and existing is None:
                session.add(
                    MembershipRow(user_id=user.id, institution_id=institution_id, role=role.value)
                )
            elif not add and existing is None:
                raise AccountError(f"{user.email} does not hold the role {role} at {institution}")
            elif not add:
                session.delete(existing)
            session.flush()
            if add != (existing is not None):
                record_event(
                    session,
                    actor=actor,
                    action="role.add" if add else "role.remove",
                    target=f"user:{user.email}",
                    reason=f"{role} at {institution}",
                    details={"institution": institution, "role": role.value},
                )
            return _account(session, user)

    def authenticate(self, email: str, password: str) -> Principal | None:
        """Return who signs in with this email and password, or None (the same time either way)."""
        try:
            email = normalise_email(email)
        except AccountError:
            email = ""
        with self.db.transaction(write=False) as session:
            row = _user_by_email(session, email) if email else None
            stored = row.password_hash if row is not None and row.is_active else None
            if not password_matches(password, stored) or row is None:
                return None
            return load_principal(session, row.id)

    def oidc_principal(self, issuer: str, claims: dict[str, Any]) -> Principal:
        """Return who signs in with these verified ID token claims.

        An identity (issuer, subject) seen before signs in as the account it is linked to. A
        new one is linked to the active account whose email the provider vouches for
        (``email_verified`` true), once; no account is ever created by signing in.
        """
        subject = str(claims["sub"])
        with self.db.transaction() as session:
            identity = session.scalars(
                sa.select(OidcIdentityRow).where(
                    OidcIdentityRow.issuer == issuer, OidcIdentityRow.subject == subject
                )
            ).first()
            user = (
                session.get(UserRow, identity.user_id)
                if identity
                else _vouched_user(session, claims)
            )
            if user is None or not user.is_active:
                raise AccountError(
                    "no active account matches this sign-in; ask an administrator to create "
                    "an account with the email address your identity provider confirms"
                )
            if identity is None:
                session.add(
                    OidcIdentityRow(
                        user_id=user.id, issuer=issuer, subject=subject, email=user.email
                    )
                )
                session.flush()
                record_event(
                    session,
                    actor=f"oidc:{issuer}"[:200],
                    action="account.link-oidc",
                    target=f"user:{user.email}",
                    reason="first single sign-on with a confirmed email address",
                    details={"issuer": issuer, "subject": subject},
                )
            principal = load_principal(session, user.id)
            assert principal is not None  # the user is active
            return principal


def _vouched_user(session: Session, claims: dict[str, Any]) -> UserRow | None:
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is not True:
        return None
    return user_by_email(session, email)


def load_principal(
    session: Session, user_id: int, scopes: frozenset[Scope] | None = None
) -> Principal | None:
    """Return the principal of an active user, with their roles (None when inactive or gone)."""
    row = session.get(UserRow, user_id)
    if row is None or not row.is_active:
        return None
    return Principal(
        user_id=row.id,
        email=row.email,
        roles=_roles(session, row.id),
        is_operator=row.is_operator,
        scopes=scopes,
    )


def user_by_email(session: Session, email: str) -> UserRow | None:
    """Return the user with this email address (any case), if there is one."""
    return _user_by_email(session, email.strip().lower())


def _user_by_email(session: Session, email: str) -> UserRow | None:
    return session.scalars(sa.select(UserRow).where(UserRow.email == email)).first()


def _require_user(session: Session, email: str) -> UserRow:
    row = user_by_email(session, email)
    if row is None:
        raise AccountNotFound(f"no account has the email {email.strip()!r}")
    return row


def _institution_id(session: Session, slug: str) -> int:
    row = institutions.institution_by_slug(session, slug)
    if row is None:
        known = ", ".join(r.slug for r in institutions.all_institutions(session)) or "none yet"
        raise AccountNotFound(f"no institution has the slug {slug!r} (known: {known})")
    return row.id


def _roles(session: Session, user_id: int) -> dict[str, frozenset[Role]]:
    rows = session.execute(
        sa.select(InstitutionRow.slug, MembershipRow.role)
        .join(InstitutionRow, MembershipRow.institution_id == InstitutionRow.id)
        .where(MembershipRow.user_id == user_id)
    )
    roles: dict[str, set[Role]] = {}
    for slug, role in rows:
        roles.setdefault(slug, set()).add(Role(role))
    return {slug: frozenset(held) for slug, held in roles.items()}


def _account(session: Session, row: UserRow) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        is_operator=row.is_operator,
        is_active=row.is_active,
        has_password=row.password_hash is not None,
        roles=_roles(session, row.id),
        created_at=row.created_at,
    )


def _hashed(password: str) -> str:
    try:
        return hash_password(password)
    except WeakPassword as error:
        raise AccountError(str(error)) from None
