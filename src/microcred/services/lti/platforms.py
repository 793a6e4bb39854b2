"""The LMS platforms an institution registered: the values its LTI 1.3 registration gives.

A platform is known by its issuer and the client id it gave this tool; each launch names one of
its deployment ids, and only those registered here are let in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.i18n import _
from microcred.store import institutions
from microcred.store.catalogue_tables import InstitutionRow
from microcred.store.database import Database
from microcred.store.lti_tables import LtiPlatformRow

MAX_DEPLOYMENTS = 50
URL_FIELDS = ("issuer", "auth_login_url", "token_url", "jwks_url")


class PlatformError(ValueError):
    """A registration was refused; ``problems`` says, by field, what to fix."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Platform:
    id: str
    institution: str
    name: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    token_url: str
    jwks_url: str


@dataclass(frozen=True)
class Registration:
    """What an administrator types in from the platform's registration page."""

    name: str
    issuer: str
    client_id: str
    deployment_ids: str  # one per line or comma-separated
    auth_login_url: str
    token_url: str
    jwks_url: str


class Platforms:
    """Register and find the platforms of the instance's institutions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def register(self, institution: str, registration: Registration) -> Platform:
        """Return the platform stored for ``institution``; raises `PlatformError` on bad values
        (nothing is stored then)."""
        deployments = _deployments(registration.deployment_ids)
        problems = _problems(registration, deployments)
        with self.db.transaction() as session:
            owner = institutions.institution_by_slug(session, institution)
            if owner is None:
                raise PlatformError({"institution": _("No such institution.")})
            taken = session.scalar(
                sa.select(LtiPlatformRow.id).where(
                    LtiPlatformRow.issuer == registration.issuer.strip(),
                    LtiPlatformRow.client_id == registration.client_id.strip(),
                )
            )
            if taken is not None:
                problems["client_id"] = _("This issuer and client id are registered already.")
            if problems:
                raise PlatformError(problems)
            row = LtiPlatformRow(
                id=str(uuid.uuid4()),
                institution_id=owner.id,
                name=registration.name.strip(),
                issuer=registration.issuer.strip(),
                client_id=registration.client_id.strip(),
                deployment_ids=deployments,
                auth_login_url=registration.auth_login_url.strip(),
                token_url=registration.token_url.strip(),
                jwks_url=registration.jwks_url.strip(),
            )
            session.add(row)
            session.flush()
            return _platform(row, institution)

    def of_institution(self, institution: str) -> list[Platform]:
        """Return the platforms ``institution`` registered, by name."""
        with self.db.transaction(write=False) as session:
            owner = institutions.institution_by_slug(session, institution)
            if owner is None:
                return []
            rows = session.scalars(
                sa.select(LtiPlatformRow)
                .where(LtiPlatformRow.institution_id == owner.id)
                .order_by(LtiPlatformRow.name)
            )
            return [_platform(row, institution) for row in rows]

    def by_client(self, issuer: str, client_id: str | None) -> Platform | None:
        """Return the platform of ``issuer`` (and ``client_id`` when the platform names it:
        an issuer registered once may leave it out)."""
        statement = sa.select(LtiPlatformRow).where(LtiPlatformRow.issuer == issuer)
        if client_id:
            statement = statement.where(LtiPlatformRow.client_id == client_id)
        with self.db.transaction(write=False) as session:
            rows = list(session.scalars(statement.limit(2)))
            if len(rows) != 1:
                return None
            return _platform(rows[0], _slug(session, rows[0].institution_id))

    def get(self, platform_id: str) -> Platform | None:
        with self.db.transaction(write=False) as session:
            row = session.get(LtiPlatformRow, platform_id)
            return None if row is None else _platform(row, _slug(session, row.institution_id))


def _slug(session: Session, institution_id: int) -> str:
    slug = session.scalar(sa.select(InstitutionRow.slug).where(InstitutionRow.id == institution_id))
    return str(slug)


def _platform(row: LtiPlatformRow, institution: str) -> Platform:
    return Platform(
        id=row.id,
        institution=institution,
        name=row.name,
        issuer=row.issuer,
        client_id=row.client_id,
        deployment_ids=tuple(row.deployment_ids),
        auth_login_url=row.auth_login_url,
        token_url=row.token_url,
        jwks_url=row.jwks_url,
    )


def _deployments(text: str) -> list[str]:
    parts = (part.strip() for line in text.splitlines() for part in line.split(","))
    return list(dict.fromkeys(part for part in parts if part))


def _problems(registration: Registration, deployments: list[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not registration.name.strip() or len(registration.name) > 200:
        problems["name"] = _("Give the platform a name (at most 200 characters).")
    if not registration.client_id.strip() or len(registration.client_id) > 255:
        problems["client_id"] = _("Copy the client id the platform gave this tool.")
    if not deployments or len(deployments) > MAX_DEPLOYMENTS:
        problems["deployment_ids"] = _("Give the deployment id (or ids, one per line).")
    elif any(len(deployment) > 255 for deployment in deployments):
        problems["deployment_ids"] = _("A deployment id is at most 255 characters.")
    for name in URL_FIELDS:
        if not _is_web_url(getattr(registration, name).strip()):
            problems[name] = _("Not a web address: it starts with https://.")
    return problems


def _is_web_url(text: str) -> bool:
    if len(text) > 500 or any(character.isspace() for character in text):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("https", "http") and bool(parts.hostname)
