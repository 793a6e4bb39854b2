"""Wallet delivery over OpenID for Verifiable Credential Issuance 1.0, pre-authorised code flow.

1. `create_offer(award_id)` makes a credential offer: a pre-authorised code (and, if asked, a
   numeric transaction code to send the learner by another channel) stored only hashed, and
   the `openid-credential-offer://` link a wallet reads from a QR code.
2. The wallet redeems the code at the token endpoint (`token`): once, before it expires, with
   the right transaction code (a few wrong tries spend the offer). It gets an access token.
3. It fetches a `c_nonce` (`new_nonce`) and asks the credential endpoint (`credential`) for
   one of the offered configurations with a JWT key proof (`openid4vci-proof+jwt`) over our
   identifier and that nonce. The credential is issued to the proven key: its did:key as the
   subject of an Open Badges 3.0 credential (`ldp_vc`, `jwt_vc_json`), or its JWK in the
   `cnf` claim of an SD-JWT VC (`dc+sd-jwt`). Each configuration is issued once per offer.

Every credential issued here gets status-list entries of its own and is stored like any
other, so it is revoked or suspended by its id. Errors are `Oid4vciError` with the OAuth /
OpenID4VCI error code, a description saying what to fix, and the HTTP status to answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.orm import Session

from microcred.crypto import jose
from microcred.crypto.did_document import key_in_document
from microcred.crypto.did_key import did_key_for, resolve_did_key
from microcred.crypto.keys import ED25519, PublicKey
from microcred.crypto.sd_jwt import issue_sd_jwt
from microcred.formats.ob3 import AwardData
from microcred.formats.ob3.context import CREDENTIAL_CONTEXTS
from microcred.formats.sd_jwt_vc import MEDIA_TYPE as SD_JWT_VC
from microcred.formats.sd_jwt_vc import micro_credential_claims, vct_for
from microcred.services.awards import AwardNotFound, AwardRecord, Awards
from microcred.services.issuer_keys import IssuerKeyError
from microcred.services.issuing import CredentialIssuer, IssuingError, with_default_validity
from microcred.store.base import utc_now
from microcred.store.records import SpecificationRecord
from microcred.store.wallet_tables import (
    CredentialOfferRow,
    WalletAccessTokenRow,
    WalletCredentialRow,
    WalletNonceRow,
)

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_SCHEME = "openid-credential-offer://"
PROOF_TYPE = "openid4vci-proof+jwt"
OFFER_LIFETIME = timedelta(days=14)
ACCESS_TOKEN_LIFETIME = timedelta(minutes=10)
NONCE_LIFETIME = timedelta(minutes=5)
PROOF_MAX_AGE = timedelta(minutes=5)
CLOCK_SKEW = timedelta(seconds=60)
MAX_TX_CODE_ATTEMPTS = 5
TX_CODE_LENGTH = 6
PROOF_ALGORITHMS = ["EdDSA", "ES256"]
OB3_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]

# Configuration id → (OpenID4VCI format, how microcred issues it).
CONFIGURATIONS: dict[str, tuple[str, str]] = {
    "MicroCredential_ldp_vc": ("ldp_vc", "ob3-di"),
    "MicroCredential_jwt_vc_json": ("jwt_vc_json", "vc+jwt"),
    "MicroCredential_dc+sd-jwt": (SD_JWT_VC, SD_JWT_VC),
}


class Oid4vciError(ValueError):
    """A request the wallet must change: `error` is the protocol code, `status_code` the HTTP."""

    def __init__(self, error: str, description: str, status_code: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status_code = status_code


@dataclass(frozen=True)
class CredentialOffer:
    """An offer as made: shown once, since only hashes of its codes are kept."""

    offer_id: str
    offer: dict[str, Any]  # the Credential Offer object
    uri: str  # openid-credential-offer://?credential_offer=... (for the QR code and link)
    pre_authorized_code: str
    tx_code: str | None  # send by another channel than the QR code (e-mail, letter)
    expires_at: datetime


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _tx_code_hash(pre_authorized_code: str, tx_code: str) -> str:
    return hmac.new(pre_authorized_code.encode(), tx_code.encode(), hashlib.sha256).hexdigest()


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """Return the RFC 7638 SHA-256 thumbprint of a public JWK (base64url)."""
    members = ("crv", "kty", "x") if jwk.get("kty") == "OKP" else ("crv", "kty", "x", "y")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return jose.b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())


class Oid4vciIssuer:
    """This instance as an OpenID4VCI Credential Issuer and its own Authorization Server."""

    def __init__(
        self,
        issuer: CredentialIssuer,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.issuer = issuer
        self.settings = issuer.settings
        self.db = issuer.catalogue.db
        self.awards = Awards(self.db, issuer, issuer.settings)
        self.clock = clock

    @property
    def identifier(self) -> str:
        """Return the Credential Issuer Identifier: the instance's base URL."""
        return self.settings.base_url.rstrip("/")

    # --- metadata ---

    def metadata(self) -> dict[str, Any]:
        """Return the Credential Issuer Metadata (`/.well-known/openid-credential-issuer`)."""
        proof_types = {"jwt": {"proof_signing_alg_values_supported": PROOF_ALGORITHMS}}
        signing = self.credential_signing_algorithms()
        bound_to_did = {
            "cryptographic_binding_methods_supported": ["did:key"],
            "proof_types_supported": proof_types,
        }
        return {
            "credential_issuer": self.identifier,
            "credential_endpoint": f"{self.identifier}/oid4vci/credential",
            "nonce_endpoint": f"{self.identifier}/oid4vci/nonce",
            "display": [{"name": "microcred", "locale": "en"}],
            "credential_configurations_supported": {
                "MicroCredential_ldp_vc": {
                    "format": "ldp_vc",
                    "credential_definition": {
                        "@context": list(CREDENTIAL_CONTEXTS),
                        "type": OB3_TYPES,
                    },
                    "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
                    **bound_to_did,
                    "credential_metadata": _display("Micro-credential (Open Badges 3.0)"),
                },
                "MicroCredential_jwt_vc_json": {
                    "format": "jwt_vc_json",
                    "credential_definition": {"type": OB3_TYPES},
                    "credential_signing_alg_values_supported": signing,
                    **bound_to_did,
                    "credential_metadata": _display("Micro-credential (Open Badges 3.0, JWT)"),
                },
                "MicroCredential_dc+sd-jwt": {
                    "format": SD_JWT_VC,
                    "vct": vct_for(self.identifier),
                    "credential_signing_alg_values_supported": signing,
                    "cryptographic_binding_methods_supported": ["jwk"],
                    "proof_types_supported": proof_types,
                    "credential_metadata": _display("Micro-credential (SD-JWT VC)"),
                },
            },
        }

    def credential_signing_algorithms(self) -> list[str]:
        """Return the JWS algorithms this instance's active keys sign JWT credentials with.

        ES384 is listed once some institution's active key is a P-384 one; with no key yet,
        EdDSA (the first key is made as Ed25519 on first use).
        """
        key_types = self.issuer.keys.active_key_types() or {ED25519}
        return sorted(jose.algorithm_for_key_type(key_type) for key_type in key_types)

    def authorization_server_metadata(self) -> dict[str, Any]:
        """Return the OAuth 2.0 Authorization Server Metadata (RFC 8414) of the token endpoint."""
        return {
            "issuer": self.identifier,
            "token_endpoint": f"{self.identifier}/oid4vci/token",
            "grant_types_supported": [PRE_AUTHORIZED_GRANT],
            "pre-authorized_grant_anonymous_access_supported": True,
            "token_endpoint_auth_methods_supported": ["none"],
        }

    # --- offers ---

    def create_offer(
        self,
        award_id: str,
        *,
        with_tx_code: bool = False,
        configuration_ids: list[str] | None = None,
        lifetime: timedelta = OFFER_LIFETIME,
    ) -> CredentialOffer:
        """Return a new offer of an award to a wallet; raises `AwardNotFound` or ValueError."""
        award = self.awards.get(award_id)
        wanted = configuration_ids or list(CONFIGURATIONS)
        unknown = [c for c in wanted if c not in CONFIGURATIONS]
        if unknown:
            raise ValueError(
                f"unknown credential configuration(s) {unknown}; use {sorted(CONFIGURATIONS)}"
            )
        code = secrets.token_urlsafe(32)
        tx_code = (
            "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH))
            if with_tx_code
            else None
        )
        expires_at = self.clock() + lifetime
        row = CredentialOfferRow(
            award_id=award.id,
            code_hash=_hash(code),
            tx_code_hash=_tx_code_hash(code, tx_code) if tx_code else None,
            tx_code_attempts=0,
            configuration_ids=wanted,
            expires_at=expires_at,
            created_at=self.clock(),
        )
        with self.db.transaction() as session:
            session.add(row)
            session.flush()
            offer_id = row.id
        grant: dict[str, Any] = {"pre-authorized_code": code}
        if tx_code:
            grant["tx_code"] = {
                "input_mode": "numeric",
                "length": TX_CODE_LENGTH,
                "description": "The code in the e-mail about this credential",
            }
        offer = {
            "credential_issuer": self.identifier,
            "credential_configuration_ids": wanted,
            "grants": {PRE_AUTHORIZED_GRANT: grant},
        }
        uri = OFFER_SCHEME + "?credential_offer=" + quote(json.dumps(offer, separators=(",", ":")))
        return CredentialOffer(offer_id, offer, uri, code, tx_code, expires_at)

    # --- token endpoint ---

    def token(self, form: Mapping[str, str]) -> dict[str, Any]:
        """Return the Token Response for a pre-authorised code grant; raises `Oid4vciError`."""
        if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
            raise Oid4vciError(
                "unsupported_grant_type", f"grant_type must be {PRE_AUTHORIZED_GRANT}"
            )
        code = form.get("pre-authorized_code")
        if not code:
            raise Oid4vciError("invalid_request", "pre-authorized_code is missing")
        now = self.clock()
        with self.db.transaction() as session:
            offer = session.scalars(
                sa.select(CredentialOfferRow)
                .where(CredentialOfferRow.code_hash == _hash(code))
                .with_for_update()
            ).first()
            if offer is None:
                raise Oid4vciError("invalid_grant", "the pre-authorized code is not known")
            if offer.redeemed_at is not None:
                raise Oid4vciError("invalid_grant", "the pre-authorized code was already used")
            if as_utc(offer.expires_at) <= now:
                raise Oid4vciError("invalid_grant", "the pre-authorized code has expired")
            refusal = self._tx_code_problem(offer, code, form.get("tx_code"))
            if refusal is not None and refusal[2]:
                # A wrong try is counted, and that count commits although the request fails.
                offer.tx_code_attempts += 1
            if refusal is None:
                access_token = self._grant(session, offer.id, now)
        if refusal is not None:
            raise Oid4vciError(refusal[0], refusal[1])
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": int(ACCESS_TOKEN_LIFETIME.total_seconds()),
        }

    def _grant(self, session: Session, offer_id: str, now: datetime) -> str:
        """Spend the offer's code and return a new access token for it."""
        spent = session.execute(
            sa.update(CredentialOfferRow)
            .where(CredentialOfferRow.id == offer_id, CredentialOfferRow.redeemed_at.is_(None))
            .values(redeemed_at=now)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise Oid4vciError("invalid_grant", "the pre-authorized code was already used")
        access_token = secrets.token_urlsafe(32)
        session.add(
            WalletAccessTokenRow(
                token_hash=_hash(access_token),
                offer_id=offer_id,
                expires_at=now + ACCESS_TOKEN_LIFETIME,
                created_at=now,
            )
        )
        return access_token

    def _tx_code_problem(
        self, offer: CredentialOfferRow, code: str, tx_code: str | None
    ) -> tuple[str, str, bool] | None:
        """Return (error, description, counts as a wrong try) when the tx_code is not right."""
        if offer.tx_code_hash is None:
            if tx_code:
                return (
                    "invalid_request",
                    "this offer has no transaction code; do not send one",
                    False,
                )
            return None
        if offer.tx_code_attempts >= MAX_TX_CODE_ATTEMPTS:
            return "invalid_grant", "too many wrong transaction codes; ask for a new offer", False
        if not tx_code:
            return "invalid_request", "this offer needs its transaction code (tx_code)", False
        if not hmac.compare_digest(offer.tx_code_hash, _tx_code_hash(code, tx_code)):
            return "invalid_grant", "the transaction code is wrong", True
        return None

    # --- nonce endpoint ---

    def new_nonce(self) -> str:
        """Return a fresh `c_nonce` for one key proof; it expires and is accepted once."""
        nonce = secrets.token_urlsafe(24)
        with self.db.transaction() as session:
            session.add(
                WalletNonceRow(nonce_hash=_hash(nonce), expires_at=self.clock() + NONCE_LIFETIME)
            )
        return nonce

    # --- credential endpoint ---

    def credential(self, access_token: str | None, request: Any) -> dict[str, Any]:
        """Return the Credential Response for a request; raises `Oid4vciError`."""
        offer_id = self._offer_of_token(access_token)
        if not isinstance(request, dict):
            raise Oid4vciError("invalid_credential_request", "the body must be a JSON object")
        configuration_id = request.get("credential_configuration_id")
        if not isinstance(configuration_id, str):
            raise Oid4vciError(
                "invalid_credential_request", "credential_configuration_id is missing"
            )
        with self.db.transaction(write=False) as session:
            offer = session.get(CredentialOfferRow, offer_id)
            assert offer is not None
            offered, award_id = list(offer.configuration_ids), offer.award_id
        if configuration_id not in offered:
            raise Oid4vciError(
                "unknown_credential_configuration",
                f"{configuration_id!r} was not offered; the offer has {offered}",
            )
        holder = self._holder_key(request)
        award = self.awards.get(award_id)
        credential = self._issue(award, offer_id, configuration_id, holder)
        return {"credentials": [{"credential": credential}]}

    def _offer_of_token(self, access_token: str | None) -> str:
        if not access_token:
            raise Oid4vciError("invalid_token", "send 'Authorization: Bearer <access token>'", 401)
        with self.db.transaction(write=False) as session:
            row = session.get(WalletAccessTokenRow, _hash(access_token))
            if row is None or as_utc(row.expires_at) <= self.clock():
                raise Oid4vciError("invalid_token", "the access token is unknown or expired", 401)
            return row.offer_id

    def _holder_key(self, request: dict[str, Any]) -> PublicKey:
        """Return the key the request's JWT proof shows the wallet holds; the nonce is spent."""
        if "proof" in request:
            raise Oid4vciError("invalid_credential_request", "send 'proofs' (1.0), not 'proof'")
        proofs = request.get("proofs")
        if not isinstance(proofs, dict) or set(proofs) != {"jwt"}:
            raise Oid4vciError("invalid_proof", "proofs must be {'jwt': [one key proof JWT]}")
        jwts = proofs["jwt"]
        if not isinstance(jwts, list) or len(jwts) != 1 or not isinstance(jwts[0], str):
            raise Oid4vciError("invalid_proof", "send exactly one JWT proof (no batch issuance)")
        try:
            header, claims = jose.read_jws(jwts[0], typ=PROOF_TYPE, key_for=_proof_key)
        except jose.JoseError as error:
            raise Oid4vciError("invalid_proof", str(error)) from error
        if claims.get("aud") != self.identifier:
            raise Oid4vciError("invalid_proof", f"the proof's aud must be {self.identifier}")
        issued = claims.get("iat")
        now = self.clock()
        if not isinstance(issued, int | float):
            raise Oid4vciError("invalid_proof", "the proof has no iat")
        moment = datetime.fromtimestamp(issued, UTC)
        if moment > now + CLOCK_SKEW or moment < now - PROOF_MAX_AGE:
            raise Oid4vciError("invalid_proof", "the proof's iat is not recent; make a new proof")
        self._spend_nonce(claims.get("nonce"))
        return _proof_key(header)

    def _spend_nonce(self, nonce: Any) -> None:
        if not isinstance(nonce, str):
            raise Oid4vciError(
                "invalid_nonce", "the proof has no nonce; get one from the nonce endpoint"
            )
        now = self.clock()
        with self.db.transaction() as session:
            spent = session.execute(
                sa.update(WalletNonceRow)
                .where(
                    WalletNonceRow.nonce_hash == _hash(nonce),
                    WalletNonceRow.used_at.is_(None),
                    WalletNonceRow.expires_at > now,
                )
                .values(used_at=now)
            )
            if spent.rowcount != 1:  # type: ignore[attr-defined]
                raise Oid4vciError(
                    "invalid_nonce", "the nonce is unknown, used or expired; get a new one"
                )

    def _issue(
        self, award: AwardRecord, offer_id: str, configuration_id: str, holder: PublicKey
    ) -> dict[str, Any] | str:
        kind = CONFIGURATIONS[configuration_id][1]
        thumbprint = jwk_thumbprint(holder.to_jwk())

        def store(session: Session, credential_id: str, _record: SpecificationRecord) -> None:
            session.add(
                WalletCredentialRow(
                    credential_id=credential_id,
                    offer_id=offer_id,
                    configuration_id=configuration_id,
                    holder_key_thumbprint=thumbprint,
                    issued_at=self.clock(),
                )
            )
            session.flush()

        try:
            if kind == SD_JWT_VC:
                return self._issue_sd_jwt_vc(award, holder, store)
            return self.issuer.issue_credential(
                award.specification_id,
                award.specification_version,
                _award_data(award, self.clock(), did=did_key_for(holder)),
                institution=award.institution,
                format=kind,  # type: ignore[arg-type]
                also_store=store,
            )
        except sa.exc.IntegrityError as error:
            raise Oid4vciError(
                "credential_request_denied",
                f"{configuration_id} was already issued for this offer",
            ) from error
        except (IssuingError, IssuerKeyError, AwardNotFound) as error:
            raise Oid4vciError("credential_request_denied", str(error)) from error

    def _issue_sd_jwt_vc(
        self,
        award: AwardRecord,
        holder: PublicKey,
        store: Callable[[Session, str, SpecificationRecord], None],
    ) -> str:
        record = self.issuer.catalogue.get(award.specification_id, award.specification_version)
        keys = self.issuer.keys
        keys.ensure_key(award.institution)
        key, method = keys.signing_key(award.institution)
        data = with_default_validity(
            _award_data(award, self.clock()), record.specification.default_validity
        )
        with self.db.transaction() as session:
            entries = self.issuer.status.entries.allocate(
                session, award.institution, [data.credential_id]
            )[data.credential_id]
            claims = micro_credential_claims(
                record.specification,
                data,
                issuer=keys.issuer_did(award.institution),
                vct=vct_for(self.identifier),
                holder_jwk=holder.to_jwk(),
                status_entries=entries,
                specification_url=f"{self.identifier}/specifications/{record.id}",
                language=award.learner_language or "en",
            )
            header = {"typ": SD_JWT_VC, "kid": method}
            token = issue_sd_jwt(claims.visible, claims.disclosable, key, header=header)
            self.issuer.status.record_issued(
                session,
                credential_id=data.credential_id,
                institution=award.institution,
                document=token,
                format=SD_JWT_VC,
                specification_id=record.id,
                specification_version=record.version,
            )
            store(session, data.credential_id, record)
        return token


def _proof_key(header: dict[str, Any]) -> PublicKey:
    """Return the key a proof JWT names: its `jwk`, or a did:key `kid` (exactly one)."""
    if ("jwk" in header) == ("kid" in header):
        raise ValueError("the proof header must name its key by exactly one of jwk or kid")
    if "jwk" in header:
        return PublicKey.from_jwk(header["jwk"])
    kid = header["kid"]
    if not isinstance(kid, str) or not kid.startswith("did:key:") or "#" not in kid:
        raise ValueError("a proof kid must be a did:key verification method (did:key:...#...)")
    return key_in_document(resolve_did_key(kid), kid, "authentication")


def _award_data(award: AwardRecord, now: datetime, did: str | None = None) -> AwardData:
    awarded = award.awarded_on
    return AwardData(
        learner_name=award.learner_name,
        email=award.learner_email,
        institutional_id=award.learner_institutional_id,
        did=did,
        date_of_birth=award.learner_date_of_birth,
        grade=award.grade,
        issued_on=now,
        awarded_on=datetime(awarded.year, awarded.month, awarded.day, tzinfo=UTC),
    )


def _display(name: str) -> dict[str, Any]:
    return {"display": [{"name": name, "locale": "en"}]}


def as_utc(moment: datetime) -> datetime:
    """Return `moment` with its time zone (SQLite gives naive UTC times back)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
