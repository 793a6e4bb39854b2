"""The learner's wallet: credentials issued here and imported ones, share links, presentations.

Credentials issued here are found by the learner's e-mail on the awards (an account's e-mail
is vouched for: the operator created it, or a sign-in provider said it was verified).
Imported credentials (a file, a URL, a baked OB 3.0 image, an Open Badges 2.0 assertion or
badge, which must be awarded to the learner's e-mail) are verified on import, and a
credential that does not verify is refused and nothing is stored. Every listing verifies
again, so a revoked or suspended credential shows as such at once.

Share links carry a random token; only its SHA-256 is stored, with an expiry and a
revocation. A presentation is signed by the learner's holder key (a did:key the wallet keeps,
sealed under the key-encryption key like issuer keys).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from microcred.crypto import data_integrity
from microcred.crypto.did_key import did_key_for, did_key_verification_method_id
from microcred.crypto.key_sealing import open_private_key, seal_private_key
from microcred.crypto.keys import PrivateKey
from microcred.domain.display_text import UNTAGGED, language_map
from microcred.domain.pathways import HeldCredential
from microcred.domain.specification import localise
from microcred.formats.baking import BakingError, is_baked_image, unbake
from microcred.formats.ob3.identity import names_holder
from microcred.formats.pdf.attachment import PdfCredentialError, attached_credential, is_pdf
from microcred.services.held_credentials import (
    credential_id,
    digest_hex,
    held_credential,
    payload_of,
    titles_of,
)
from microcred.services.installed_kek import installed_kek
from microcred.services.ob2_badges import ob2_badge
from microcred.services.secret_tokens import new_secret, secret_hash
from microcred.services.verifier import InstanceVerifier
from microcred.store.accounts_tables import UserRow
from microcred.store.awards_tables import AwardRow
from microcred.store.base import utc_now
from microcred.store.database import Database
from microcred.store.learner_wallet_tables import (
    WalletHolderKeyRow,
    WalletImportRow,
    WalletShareLinkRow,
)
from microcred.store.status_tables import IssuedCredentialRow
from microcred.verify import VerificationReport
from microcred.verify.fetch import FetchError, fetch_credential
from microcred.verify.ob2 import looks_like_ob2
from microcred.verify.parse import Unparseable
from microcred.verify.report import Verdict

VC_V2 = "https://www.w3.org/ns/credentials/v2"
SOURCES = ("file", "url", "baked")
MAX_SHARE_DAYS = 365
TOKEN_PREFIX = "mcs_"


class WalletError(ValueError):
    """A wallet request that cannot be done; ``where`` names the input to fix."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class ShareLinkInvalid(LookupError):
    """A share link that is unknown, expired or revoked (all read the same to a visitor)."""


class WalletCredential(BaseModel):
    """One credential in a wallet, as last verified."""

    id: str
    title: str
    issuer: str
    source: str  # issued here, file, url, baked
    verdict: Verdict
    summary: str
    digest: str
    document: Any
    import_id: str | None = None
    added_at: datetime | None = None
    titles: dict[str, str] = {}
    issuer_names: dict[str, str] = {}
    # Imported, but its subject is not this account (an e-mail or name that differs): shown
    # flagged, and counted neither in the learner record nor toward a pathway.
    someone_else: bool = False

    def title_in(self, lang: str) -> str:
        """Return the credential's name in the viewer's language (``title`` when it has none)."""
        return localise(self.titles, lang) or self.title

    def issuer_in(self, lang: str) -> str:
        """Return the issuer's name in the viewer's language, else its id."""
        return localise(self.issuer_names, lang) or self.issuer


class ShareLink(BaseModel):
    id: str
    holder_name: str = ""  # the wallet owner's name, which the shared page shows
    label: str
    credential_ids: list[str]
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utc_now()


@dataclass(frozen=True)
class CheckedCredential:
    document: Any
    report: VerificationReport


class Wallet:
    """The credentials of each learner account, and what the learner does with them."""

    def __init__(
        self,
        db: Database,
        checker: InstanceVerifier,
        *,
        kek: bytes | None = None,
        fetch: Callable[[str], bytes] | None = None,
    ) -> None:
        self.db = db
        self.checker = checker
        self._kek = kek
        self._fetch = fetch or fetch_credential

    # --- credentials ---

    def credentials(self, email: str) -> list[WalletCredential]:
        """Return every credential of the learner, each verified now, issued here first.

        A credential both issued here and imported is listed once; an imported one whose
        subject is someone else is flagged (`someone_else`).
        """
        return [entry for entry, _report in self._checked(email)]

    def held(self, email: str) -> list[HeldCredential]:
        """Return what pathways count: the learner's own credentials that verify now, trusted."""
        return [
            held_credential(entry.document, report, self.checker)
            for entry, report in self._checked(email)
            if report.verdict == Verdict.verified and not entry.someone_else
        ]

    def _checked(self, email: str) -> list[tuple[WalletCredential, VerificationReport]]:
        """Return each credential of the learner, once, with its report of just now."""
        issued, imported = self._documents(email)
        found = []
        for document in issued:
            report = self.checker.verify(document, recipient=email)
            found.append((_entry_from(document, report, "issued here"), report))
        seen = {entry.id for entry, _report in found}
        name = self.holder_name(email)
        for row in imported:
            report = self.checker.verify(row.document, recipient=email)
            entry = _entry_from(row.document, report, row.source)
            if entry.id in seen:
                continue
            seen.add(entry.id)
            flagged = names_holder(_payload_or_empty(row.document), email, name) is False
            update = {"import_id": row.id, "added_at": row.added_at, "someone_else": flagged}
            found.append((entry.model_copy(update=update), report))
        return found

    def holder_name(self, email: str) -> str:
        """Return the name of the wallet's owner ("" when the account gives none)."""
        with self.db.transaction(write=False) as session:
            name = session.scalar(
                sa.select(UserRow.display_name).where(UserRow.email == email.strip().lower())
            )
        return name or ""

    def import_credential(
        self, email: str, data: bytes | str | dict[str, Any], source: str
    ) -> WalletCredential:
        """Return the credential imported into the learner's wallet, verified.

        ``data`` is a credential's JSON (object or text), a compact vc+jwt, a baked PNG or
        SVG badge, or the PDF certificate carrying it. Raises `WalletError` (nothing stored)
        when it cannot be read, does not verify or could not be checked (a key or status list
        not fetched); importing the same credential twice returns the first import.
        """
        if source not in SOURCES:
            raise WalletError("source", f"must be one of {', '.join(SOURCES)}, not {source!r}")
        document = self._hosted_badge(_readable(data))
        report = self.checker.verify(document, recipient=email)
        if report.verdict == Verdict.failed:
            raise WalletError(
                "credential", f"it does not verify, so it was not imported: {report.summary}"
            )
        if report.verdict == Verdict.indeterminate:
            raise WalletError(
                "credential",
                "it could not be checked, so it was not imported; try again later: "
                + report.summary,
            )
        digest = digest_hex(document)
        held_id = credential_id(document)
        with self.db.transaction() as session:
            user_id = _user_id(session, email)
            existing = session.scalar(
                sa.select(WalletImportRow).where(
                    WalletImportRow.user_id == user_id, WalletImportRow.digest == digest
                )
            )
            row = existing or WalletImportRow(
                user_id=user_id,
                credential_id=held_id[:500],
                source=source,
                document=document,
                digest=digest,
                verdict=report.verdict.value,
                summary=report.summary,
            )
            if existing is None:
                session.add(row)
                session.flush()
            import_id, added = row.id, row.added_at
        entry = _entry_from(document, report, source)
        flagged = names_holder(_payload_or_empty(document), email, self.holder_name(email))
        update = {"import_id": import_id, "added_at": added, "someone_else": flagged is False}
        return entry.model_copy(update=update)

    def import_url(self, email: str, url: str) -> WalletCredential:
        """Return the credential at ``url``, imported; raises `WalletError`."""
        try:
            data = self._fetch(url.strip())
        except FetchError as error:
            raise WalletError("url", str(error)) from error
        return self.import_credential(email, data, "url")

    def remove_import(self, email: str, import_id: str) -> None:
        """Take an imported credential out of the wallet; raises `WalletError` if not there."""
        with self.db.transaction() as session:
            user_id = _user_id(session, email)
            deleted = session.execute(
                sa.delete(WalletImportRow)
                .where(WalletImportRow.id == import_id, WalletImportRow.user_id == user_id)
                .returning(WalletImportRow.id)
            ).first()
        if deleted is None:
            raise WalletError("import", f"no imported credential {import_id} in this wallet")

    def document(self, email: str, wanted: str) -> Any:
        """Return one of the learner's credentials as held; raises `WalletError`."""
        issued, imported = self._documents(email)
        for document in [*issued, *(row.document for row in imported)]:
            if credential_id(document) == wanted:
                return document
        raise WalletError("credential", f"{wanted} is not in this wallet")

    # --- share links ---

    def create_share_link(
        self, email: str, credential_ids: Sequence[str], *, days: int = 30, label: str = ""
    ) -> tuple[ShareLink, str]:
        """Return a new share link and its token (shown once; only its hash is kept)."""
        if not credential_ids:
            raise WalletError("credentials", "choose at least one credential to share")
        if not 1 <= days <= MAX_SHARE_DAYS:
            raise WalletError("days", f"a link lasts 1 to {MAX_SHARE_DAYS} days, not {days}")
        for wanted in credential_ids:
            self.document(email, wanted)  # raises for one not in the wallet
        token = new_secret(TOKEN_PREFIX)
        now = utc_now()
        with self.db.transaction() as session:
            row = WalletShareLinkRow(
                user_id=_user_id(session, email),
                token_hash=secret_hash(token),
                credential_ids=list(dict.fromkeys(credential_ids)),
                label=label.strip()[:200],
                expires_at=now + timedelta(days=days),
                created_at=now,
            )
            session.add(row)
            session.flush()
            return _link(row), token

    def share_links(self, email: str) -> list[ShareLink]:
        with self.db.transaction(write=False) as session:
            rows = session.scalars(
                sa.select(WalletShareLinkRow)
                .where(WalletShareLinkRow.user_id == _user_id(session, email))
                .order_by(WalletShareLinkRow.created_at.desc())
            )
            return [_link(row) for row in rows]

    def revoke_share_link(self, email: str, link_id: str) -> ShareLink:
        """Return the link, revoked from now on; raises `WalletError` if it is not the learner's."""
        with self.db.transaction() as session:
            row = session.scalar(
                sa.select(WalletShareLinkRow).where(
                    WalletShareLinkRow.id == link_id,
                    WalletShareLinkRow.user_id == _user_id(session, email),
                )
            )
            if row is None:
                raise WalletError("link", f"no share link {link_id} in this wallet")
            if row.revoked_at is None:
                row.revoked_at = utc_now()
            return _link(row)

    def shared(self, token: str) -> tuple[ShareLink, list[WalletCredential]]:
        """Return a share link and its credentials, verified now; raises `ShareLinkInvalid`."""
        with self.db.transaction(write=False) as session:
            row = session.scalar(
                sa.select(WalletShareLinkRow).where(
                    WalletShareLinkRow.token_hash == secret_hash(token.strip())
                )
            )
            if row is None:
                raise ShareLinkInvalid("this share link is unknown")
            link = _link(row)
            email = session.scalar(sa.select(UserRow.email).where(UserRow.id == row.user_id))
        if not link.active:
            raise ShareLinkInvalid("this share link has expired or was revoked by its owner")
        assert email is not None
        wanted = set(link.credential_ids)
        found = [c for c in self.credentials(email) if c.id in wanted]
        return link.model_copy(update={"holder_name": self.holder_name(email)}), found

    # --- presentations ---

    def holder_did(self, email: str) -> str:
        """Return the learner's holder DID (a did:key), made on first use."""
        return self._holder_key(email)[1]

    def presentation(
        self,
        email: str,
        credential_ids: Sequence[str],
        *,
        challenge: str,
        domain: str | None = None,
    ) -> dict[str, Any]:
        """Return a verifiable presentation of the chosen credentials signed by the holder key."""
        if not challenge.strip():
            raise WalletError("challenge", "give the challenge (nonce) the verifier asked for")
        if not credential_ids:
            raise WalletError("credentials", "choose at least one credential to present")
        documents = [self.document(email, cid) for cid in credential_ids]
        if any(looks_like_ob2(document) for document in documents):
            raise WalletError(
                "credentials",
                "an Open Badges 2.0 badge is not a verifiable credential and cannot be"
                " presented; share it with a share link instead",
            )
        key, did = self._holder_key(email)
        presentation: dict[str, Any] = {
            "@context": [VC_V2],
            "type": ["VerifiablePresentation"],
            "holder": did,
            "verifiableCredential": [_embeddable(document) for document in documents],
        }
        return data_integrity.sign(
            presentation,
            key,
            suite="eddsa-rdfc-2022",
            verification_method=did_key_verification_method_id(key.public_key),
            proof_purpose="authentication",
            challenge=challenge.strip(),
            domain=domain,
        )

    # --- internals ---

    def _hosted_badge(self, document: Any) -> Any:
        """Return the hosted Open Badges 2.0 assertion a baked badge links to (fetched under
        the fetch policy), or `document` itself when it is no link."""
        if not (isinstance(document, str) and document.startswith(("https://", "http://"))):
            return document
        try:
            return _readable(self._fetch(document))
        except FetchError as error:
            raise WalletError(
                "image", f"the badge's assertion cannot be fetched: {error}"
            ) from error

    def _documents(self, email: str) -> tuple[list[Any], list[WalletImportRow]]:
        with self.db.transaction(write=False) as session:
            user_id = _user_id(session, email)
            issued = session.scalars(
                sa.select(IssuedCredentialRow.document)
                .join(AwardRow, AwardRow.credential_id == IssuedCredentialRow.id)
                .where(AwardRow.learner_email == email.strip().lower())
                .order_by(AwardRow.created_at)
            ).all()
            imported = session.scalars(
                sa.select(WalletImportRow)
                .where(WalletImportRow.user_id == user_id)
                .order_by(WalletImportRow.added_at)
            ).all()
            return list(issued), list(imported)

    def _holder_key(self, email: str) -> tuple[PrivateKey, str]:
        kek = self._key_encryption_key()
        with self.db.transaction() as session:
            user_id = _user_id(session, email)
            row = session.get(WalletHolderKeyRow, user_id)
            if row is not None:
                return open_private_key(row.sealed_private_key, kek), row.did
            key = PrivateKey.generate("Ed25519")
            did = did_key_for(key.public_key)
            session.add(
                WalletHolderKeyRow(
                    user_id=user_id,
                    did=did,
                    verification_method=did_key_verification_method_id(key.public_key),
                    sealed_private_key=seal_private_key(key, kek),
                )
            )
            return key, did

    def _key_encryption_key(self) -> bytes:
        if self._kek is None:
            self._kek = installed_kek(self.db)
        return self._kek


def _readable(data: bytes | str | dict[str, Any]) -> Any:
    """Return the credential in ``data``: a JSON object, or a compact JWS as text."""
    if isinstance(data, dict):
        return data
    if is_pdf(data):  # the PDF certificate: the credential is attached inside it
        try:
            data = attached_credential(data)  # type: ignore[arg-type]
        except PdfCredentialError as error:
            raise WalletError("file", str(error)) from error
    if is_baked_image(data):
        try:
            return unbake(data)
        except BakingError as error:
            raise WalletError("image", str(error)) from error
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = text.strip()
    if not text:
        raise WalletError("credential", "the file is empty")
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise WalletError(
                "credential", f"not valid JSON: {error.msg} (line {error.lineno})"
            ) from error
        if not isinstance(value, dict):
            raise WalletError("credential", "expected a JSON object")
        return value
    if text.count(".") == 2:
        return text
    raise WalletError(
        "credential", "not a credential: give its JSON, a vc+jwt, or a baked PNG/SVG badge"
    )


def _payload_or_empty(document: Any) -> dict[str, Any]:
    try:
        return payload_of(document)
    except Unparseable:
        return {}


def _entry_from(document: Any, report: VerificationReport, source: str) -> WalletCredential:
    payload = _payload_or_empty(document)
    issuer = payload.get("issuer")
    issuer_names = language_map(issuer.get("name")) if isinstance(issuer, dict) else {}
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    titles = titles_of(document) if payload else {}
    badge = ob2_badge(report)
    if badge is not None:  # OB 2.0 names its badge and issuer by URL: the report read them
        titles = {UNTAGGED: badge.title} if badge.title else titles
        issuer_id = badge.issuer
        issuer_names = {UNTAGGED: badge.issuer_name} if badge.issuer_name else {}
    return WalletCredential(
        id=credential_id(document) if payload else digest_hex(document),
        title=localise(titles, "en"),
        titles=titles,
        issuer=localise(issuer_names, "en") or (issuer_id if isinstance(issuer_id, str) else ""),
        issuer_names=issuer_names,
        source=source,
        verdict=report.verdict,
        summary=report.summary,
        digest=digest_hex(document),
        document=document,
    )


def _embeddable(document: Any) -> Any:
    if isinstance(document, str):  # a vc+jwt travels enveloped in a VC 2.0 presentation
        return {
            "@context": [VC_V2],
            "id": f"data:application/vc+jwt,{document}",
            "type": "EnvelopedVerifiableCredential",
        }
    return document


def _link(row: WalletShareLinkRow) -> ShareLink:
    return ShareLink(
        id=row.id,
        label=row.label,
        credential_ids=list(row.credential_ids),
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        created_at=row.created_at,
    )


def _user_id(session: Session, email: str) -> int:
    found = session.scalar(sa.select(UserRow.id).where(UserRow.email == email.strip().lower()))
    if found is None:
        raise WalletError("account", f"no account has the e-mail {email}")
    return found
