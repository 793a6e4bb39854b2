"""Issuing: a published specification and an award become a signed Open Badges 3.0 credential.

Rendering (formats/ob3), safe-mode JSON-LD expansion and signing (crypto) are pure; this
service fetches what they need (the specification version, the institution, its active key)
and refuses, with a message naming what to fix, anything that would not be a sound credential:
a draft, a term that would be dropped, an issuer that is not ours. Nothing is stored yet.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from microcred.config import Settings
from microcred.crypto import data_integrity, jose
from microcred.crypto.keys import ED25519, P256, P384, PrivateKey
from microcred.crypto.sd_selection import PointerError
from microcred.crypto.suites import rdfc
from microcred.crypto.suites.registry import SUITES, suite_named
from microcred.crypto.tsa import TimestampUnavailable
from microcred.crypto.x509_seal import SealCertificateError
from microcred.domain.specification_status import SpecificationStatus
from microcred.formats.elm.errors import ElmRenderError
from microcred.formats.jsonld import UnknownContext, UnsafeDocument
from microcred.formats.jsonld.expansion import expand_safely
from microcred.formats.ob3 import AwardData, IssuerProfile, Ob3Error, render_achievement_credential
from microcred.observability.metrics import CREDENTIALS_ISSUED, SIGNING_SECONDS
from microcred.services.catalogue import Catalogue, InstitutionNotFound
from microcred.services.delivery.validity import valid_until
from microcred.services.edc import EdcIssuer, EdcRefused, SealedEdc
from microcred.services.issuer_keys import IssuerKeyError, IssuerKeys, NoIssuerKey
from microcred.services.seal_certificates import SealCertificates
from microcred.services.status import StatusError, StatusLists
from microcred.store import institutions
from microcred.store.records import Institution, SpecificationRecord
from microcred.verify.vc2_rules import ModelProblem, credential_problems

Format = Literal["ob3-di", "vc+jwt", "edc"]
FORMATS: tuple[str, ...] = ("ob3-di", "vc+jwt", "edc")
DEFAULT_SUITE = "eddsa-rdfc-2022"
# The suite a credential given whole is signed with when the request names none: the RDFC
# suite of the signing key's type, so that every key signs without options.
SUITE_FOR_KEY_TYPE = {ED25519: DEFAULT_SUITE, P256: "ecdsa-rdfc-2019", P384: "ecdsa-rdfc-2019"}
# Called inside the issuing transaction with the credential's id and the version issued from.
AlsoStore = Callable[[Session, str, SpecificationRecord], None]


class IssuingError(ValueError):
    """A credential cannot be issued as asked; ``where`` names the input to fix."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class NonConformingCredential(IssuingError):
    """The credential breaks VC Data Model 2.0 rules; ``problems`` names each member."""

    def __init__(self, problems: list[ModelProblem]) -> None:
        first = problems[0]
        super().__init__(first.under("credential"), first.message)
        self.problems = problems


@dataclass(frozen=True)
class SigningContext:
    """What every credential of one chunk is rendered and signed with (see `signing_context`)."""

    owner: str  # the institution's slug
    issuer: IssuerProfile
    spec_url: str
    key: PrivateKey = field(repr=False)
    verification_method: str


class CredentialIssuer:
    """Issue credentials from published specifications, and sign credentials given whole."""

    def __init__(
        self,
        catalogue: Catalogue,
        keys: IssuerKeys,
        settings: Settings,
        status: StatusLists | None = None,
        seals: SealCertificates | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.keys = keys
        self.settings = settings
        # Every issued credential gets status-list entries and is stored (see services.status).
        self.status = status or StatusLists(catalogue.db, keys, settings)
        # EDCs are sealed with the institution's e-seal certificate (see services.edc).
        self.seals = seals or SealCertificates(catalogue.db, settings)

    def issue_credential(
        self,
        spec_id: str,
        version: int | None,
        award: AwardData,
        *,
        institution: str | None = None,
        suite: str = DEFAULT_SUITE,
        format: Format = "ob3-di",
        also_store: AlsoStore | None = None,
        session: Session | None = None,
    ) -> dict[str, Any] | str:
        """Return the signed credential: a JSON object (``ob3-di``), a compact JWS (``vc+jwt``)
        or a JAdES-sealed Europass EDC file (``edc``).

        ``version`` None means the published version. ``institution`` defaults to the owner of
        the specification and, when given, must be it. The institution's key is made on first
        use, once the credential has rendered and expanded safely. Raises `IssuingError`, or
        the catalogue's `SpecificationNotFound`.

        ``also_store`` runs inside the transaction that stores the credential (an award row
        commits with it or not at all); ``session`` joins a transaction the caller holds (the
        institution's key must then exist already).
        """
        if format not in FORMATS:
            raise IssuingError("format", f"must be one of {', '.join(FORMATS)}, not {format!r}")
        if format == "ob3-di":
            _check_suite(suite)
        record = self._issuable_version(spec_id, version)
        owner = _owner(record, institution)
        issuer_did = self.keys.issuer_did(owner)
        award = with_default_validity(award, record.specification.default_validity)
        if format == "edc":
            sealed = self._sealed_edc(record, award, owner, issuer_did)
            with self._transaction(session) as tx:
                self.status.record_issued(
                    tx,
                    credential_id=sealed.credential["id"],
                    institution=owner,
                    document=sealed.document,
                    format=format,
                    specification_id=record.id,
                    specification_version=record.version,
                )
                if also_store is not None:
                    also_store(tx, sealed.credential["id"], record)
            CREDENTIALS_ISSUED.labels(format).inc()
            return sealed.document
        try:
            credential = render_achievement_credential(
                record.specification,
                award,
                self._issuer_profile(owner, issuer_did),
                spec_url=self.spec_url(record),
                spec_version=str(record.version),
            )
        except Ob3Error as error:
            raise IssuingError(error.where, error.message) from error
        # The key is had before the write transaction (making one writes too); then the status
        # entries, the signature and the stored credential commit together.
        signing_key = (
            self._key_once_sound(credential, owner)
            if session is None
            else self._existing_key(owner)  # making one now would wait on the caller's lock
        )
        with self._transaction(session) as tx:
            credential["credentialStatus"] = self.status.entries.allocate(
                tx, owner, [credential["id"]]
            )[credential["id"]]
            signed = self._sign_as(format, credential, owner, suite, signing_key)
            self.status.record_issued(
                tx,
                credential_id=credential["id"],
                institution=owner,
                document=signed,
                format=format,
                specification_id=record.id,
                specification_version=record.version,
            )
            if also_store is not None:
                also_store(tx, credential["id"], record)
        CREDENTIALS_ISSUED.labels(format).inc()
        return signed

    def signing_context(
        self, record: SpecificationRecord, institution: str | None = None
    ) -> SigningContext:
        """Return the issuer profile, key and addresses a chunk of ``record``'s credentials is
        signed with; the institution's key must exist already. Raises `IssuingError`."""
        owner = _owner(record, institution)
        issuer_did = self.keys.issuer_did(owner)
        key, method = self._existing_key(owner)
        return SigningContext(
            owner=owner,
            issuer=self._issuer_profile(owner, issuer_did),
            spec_url=self.spec_url(record),
            key=key,
            verification_method=method,
        )

    def spec_url(self, record: SpecificationRecord) -> str:
        """Return the public page of a specification, which credentials name as achievement."""
        return f"{self.settings.base_url.rstrip('/')}/specifications/{record.id}"

    def _existing_key(self, owner: str) -> tuple[PrivateKey, str]:
        try:
            return self.keys.signing_key(owner)
        except IssuerKeyError as error:
            raise IssuingError("issuer", str(error)) from error

    @contextmanager
    def _transaction(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            yield session
            return
        with self.catalogue.db.transaction() as own:
            yield own

    def _sealed_edc(
        self, record: SpecificationRecord, award: AwardData, owner: str, issuer_did: str
    ) -> SealedEdc:
        issuer = EdcIssuer(self.catalogue.db, self.seals)
        spec_url = self.spec_url(record)
        try:
            return issuer.issue(record, award, owner, issuer_id=issuer_did, spec_url=spec_url)
        except ElmRenderError as error:
            raise IssuingError(error.where, error.message) from error
        except (EdcRefused, SealCertificateError, TimestampUnavailable) as error:
            raise IssuingError("edc", str(error)) from error

    def _sign_as(
        self,
        format: Format,
        credential: dict[str, Any],
        owner: str,
        suite: str,
        signing_key: tuple[PrivateKey, str],
    ) -> dict[str, Any] | str:
        if format == "vc+jwt":
            check_safe(credential)
            key, method = signing_key
            with SIGNING_SECONDS.labels(format).time():
                return jose.issue_vc_jwt(credential, key, kid=method)
        with SIGNING_SECONDS.labels(suite).time():
            return self._sign(credential, owner, suite, signing_key)

    def _key_once_sound(self, credential: dict[str, Any], owner: str) -> tuple[PrivateKey, str]:
        """Return the owner's signing key; one is made only for a credential that is sound."""
        try:
            self.keys.active_key(owner)
        except NoIssuerKey:
            check_safe(credential)
        return self._signing_key(owner)

    def suite_for(self, institution: str | None) -> str:
        """Return the suite to sign with when none is asked: the RDFC suite of the owner's
        active key (eddsa-rdfc-2022 for Ed25519, ecdsa-rdfc-2019 for P-256 and P-384)."""
        try:
            key_type = self.keys.active_key(institution).key_type
        except NoIssuerKey:
            return DEFAULT_SUITE  # the key is made as Ed25519 on first use
        return SUITE_FOR_KEY_TYPE.get(key_type, DEFAULT_SUITE)

    def sign_credential(
        self,
        credential: dict[str, Any],
        institution: str | None,
        suite: str = DEFAULT_SUITE,
        mandatory_pointers: list[str] | None = None,
    ) -> dict[str, Any]:
        """Return ``credential`` with a proof by the institution (None: the instance itself).

        The credential must name that institution's DID as its issuer and carry no proof yet.
        ``mandatory_pointers`` name what every proof derived from an ecdsa-sd-2023 one reveals.
        """
        self._check_given(credential, institution, suite)
        return self._sign(
            copy.deepcopy(credential), institution, suite, mandatory_pointers=mandatory_pointers
        )

    def sign_credential_with_status(
        self,
        credential: dict[str, Any],
        institution: str | None,
        purposes: tuple[str, ...],
        suite: str = DEFAULT_SUITE,
        mandatory_pointers: list[str] | None = None,
    ) -> dict[str, Any]:
        """Return ``credential`` with a status entry of each purpose in the institution's lists
        and its proof; it is stored, so ``/credentials/status`` can change it by its ``id``.

        The entries, the signature and the stored credential commit together, as an award's do.
        """
        self._check_given(credential, institution, suite)
        where = "options.credentialStatus"
        if institution is None:
            raise IssuingError(
                where,
                "the instance's own DID keeps no status lists; issue as one of its institutions",
            )
        credential_id = credential.get("id")
        if not isinstance(credential_id, str) or not 0 < len(credential_id.strip()) <= 500:
            raise IssuingError(
                "credential.id",
                "a credential with a status entry needs an id (up to 500 characters): "
                "it is how /credentials/status names it later",
            )
        if "credentialStatus" in credential:
            raise IssuingError(
                where,
                "the credential has a credentialStatus already; give one or ask for one, not both",
            )
        signing_key = self._key_once_sound(credential, institution)
        credential = copy.deepcopy(credential)
        try:
            with self.catalogue.db.transaction() as tx:
                if self.status.is_recorded(tx, credential_id):
                    raise IssuingError(
                        "credential.id",
                        f"{credential_id!r} was issued here "
                        "already; a new credential needs a new id",
                    )
                credential["credentialStatus"] = self.status.entries.allocate(
                    tx, institution, [credential_id], purposes
                )[credential_id]
                signed = self._sign(credential, institution, suite, signing_key, mandatory_pointers)
                self.status.record_issued(
                    tx,
                    credential_id=credential_id,
                    institution=institution,
                    document=signed,
                    format="vc-di",
                )
        except StatusError as error:
            raise IssuingError(where, str(error)) from error
        except IntegrityError as error:  # another request stored the same id meanwhile
            raise IssuingError(
                "credential.id", f"{credential_id!r} was issued here already"
            ) from error
        CREDENTIALS_ISSUED.labels("vc-di").inc()
        return signed

    def _check_given(self, credential: dict[str, Any], institution: str | None, suite: str) -> None:
        """Refuse a credential given whole that is not ours to sign, or not signable as asked."""
        _check_suite(suite)
        check_unsigned_credential(credential)
        expected = self.keys.issuer_did(institution)
        if issuer_id(credential) != expected:
            raise IssuingError(
                "issuer",
                f"the credential's issuer is {issuer_id(credential)!r}, but this issuer signs as "
                f"{expected}",
            )

    def _sign(
        self,
        credential: dict[str, Any],
        owner: str | None,
        suite: str,
        signing_key: tuple[PrivateKey, str] | None = None,
        mandatory_pointers: list[str] | None = None,
    ) -> dict[str, Any]:
        if suite_named(suite).canonicalize is not rdfc:
            check_safe(credential)  # RDFC expands safely itself; JCS would not notice a drop
        key, method = signing_key or self._signing_key(owner)
        try:
            return data_integrity.sign(
                credential,
                key,
                suite=suite,
                verification_method=method,
                mandatory_pointers=mandatory_pointers,
            )
        except PointerError as error:
            raise IssuingError("options.mandatoryPointers", str(error)) from error
        except data_integrity.SigningError as error:
            raise IssuingError("suite", str(error)) from error
        except (UnsafeDocument, UnknownContext) as error:
            raise unsafe_refusal(error) from error

    def _signing_key(self, owner: str | None) -> tuple[PrivateKey, str]:
        try:
            self.keys.ensure_key(owner)  # made on first use, once the credential is sound
            return self.keys.signing_key(owner)
        except IssuerKeyError as error:
            raise IssuingError("issuer", str(error)) from error

    def _issuable_version(self, spec_id: str, version: int | None) -> SpecificationRecord:
        if version is None:
            return self.catalogue.get(spec_id, status=SpecificationStatus.published)
        record = self.catalogue.get(spec_id, version)
        if record.status == SpecificationStatus.draft:
            raise IssuingError(
                "version",
                f"version {record.version} of specification {record.id} is a draft; "
                "publish it first (only published specifications can be awarded)",
            )
        return record

    def _issuer_profile(self, slug: str, did: str) -> IssuerProfile:
        with self.catalogue.db.transaction(write=False) as session:
            row = institutions.institution_by_slug(session, slug)
            if row is None:
                raise InstitutionNotFound(f"no institution has the slug '{slug}'")
            institution = Institution.from_row(row)
        return IssuerProfile(id=did, name=institution.name, country=institution.country)


def with_default_validity(award: AwardData, default_validity: str | None) -> AwardData:
    """Return the award with ``valid_until`` from the specification's default, unless set."""
    if award.valid_until is not None or not default_validity:
        return award
    return award.model_copy(update={"valid_until": valid_until(award.issued_on, default_validity)})


def issuer_id(credential: dict[str, Any]) -> str | None:
    """Return the id of a credential's issuer (a string, or an object's ``id``)."""
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def check_unsigned_credential(credential: Any) -> None:
    """Raise `NonConformingCredential` unless ``credential`` keeps the VC Data Model 2.0 rules,
    or `IssuingError` if it is already signed."""
    if not isinstance(credential, dict):
        raise IssuingError("credential", f"must be a JSON object, got {type(credential).__name__}")
    problems = credential_problems(credential)
    if problems:
        raise NonConformingCredential(problems)
    if "proof" in credential:
        raise IssuingError("credential.proof", "the credential is already signed; send it unsigned")


def check_safe(credential: dict[str, Any]) -> None:
    """Raise `IssuingError` if JSON-LD expansion would drop anything (unsigned, then changeable)."""
    try:
        expand_safely(credential)
    except (UnsafeDocument, UnknownContext) as error:
        raise unsafe_refusal(error) from error


def unsafe_refusal(error: UnsafeDocument | UnknownContext) -> IssuingError:
    if isinstance(error, UnsafeDocument):
        return IssuingError(
            f"credential{error.path.removeprefix('$')}",
            f"{error.reason}; a value that does not expand would not be covered by the proof",
        )
    return IssuingError("credential.@context", str(error))


def _owner(record: SpecificationRecord, institution: str | None) -> str:
    """Return who issues: the specification's owner, who alone may."""
    owner = institution or record.institution
    if owner != record.institution:
        raise IssuingError(
            "institution",
            f"specification {record.id} belongs to '{record.institution}'; "
            f"'{owner}' cannot issue it",
        )
    return owner


def _check_suite(suite: str) -> None:
    if suite not in SUITES or not SUITES[suite].can_sign:
        signing = sorted(name for name, known in SUITES.items() if known.can_sign)
        raise IssuingError("suite", f"must be one of {', '.join(signing)}, not {suite!r}")
