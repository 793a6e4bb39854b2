"""EU trusted lists (ETSI TS 119 612): the List of Trusted Lists and a national trusted list, read
only once their XAdES signature verifies with a certificate the reader already trusts.

The LOTL is signed by a key the operator pins (the Commission publishes its signing
certificates in the Official Journal); it points to each national list and names the
certificates that list must be signed with. A national list names its trust service
providers (TSPs) and their services: a CA issuing qualified certificates
(``Svctype/CA/QC``) with status ``granted``, marked ``ForeSeals``, issues qualified e-seal
certificates. Only what the verified signature covers is read (signxml returns it), so an
element slipped in beside the signature counts for nothing.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography import x509
from lxml import etree
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.xades import XAdESVerifier

from microcred.crypto.x509_chain import issued_by

TSL = "http://uri.etsi.org/02231/v2#"
NS = {"tsl": TSL}
LOTL_TYPE = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists"
QUALIFIED_CA = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
GRANTED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
FOR_E_SEALS = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals"
MAX_LIST_BYTES = 8 * 1024 * 1024


class TrustedListError(ValueError):
    """A trusted list cannot be read, or its signature does not verify; the message says why."""


@dataclass(frozen=True)
class ListPointer:
    """The LOTL's pointer to one national list: where it is and who must have signed it."""

    territory: str
    location: str
    signers: list[x509.Certificate]
    mime_type: str = ""

    @property
    def is_xml(self) -> bool:
        """True for the XML form of a list (the LOTL points to a PDF form as well)."""
        return "xml" in self.mime_type or (not self.mime_type and self.location.endswith(".xml"))


@dataclass(frozen=True)
class TrustService:
    """One service of a national list."""

    provider: str  # the TSP's name
    territory: str
    service_type: str
    status: str
    status_since: datetime | None
    certificates: list[x509.Certificate]
    qualifiers: list[str] = field(default_factory=list)  # additional service information URIs

    @property
    def issues_qualified_seals(self) -> bool:
        """True for a granted qualified CA whose certificates may be qualified e-seals."""
        return (
            self.service_type == QUALIFIED_CA
            and self.status == GRANTED
            and FOR_E_SEALS in self.qualifiers
        )


@dataclass(frozen=True)
class TrustedList:
    """A verified trusted list: the LOTL's pointers, or a national list's services."""

    territory: str
    list_type: str
    sequence: int
    issued: datetime | None
    next_update: datetime | None
    pointers: list[ListPointer]
    services: list[TrustService]

    @property
    def is_lotl(self) -> bool:
        return self.list_type == LOTL_TYPE


def read_trusted_list(xml: bytes, signers: list[x509.Certificate]) -> TrustedList:
    """Return the list in ``xml`` once its XAdES signature verifies with one of ``signers``;
    raises `TrustedListError`."""
    if len(xml) > MAX_LIST_BYTES:
        raise TrustedListError(f"the trusted list is larger than {MAX_LIST_BYTES:,} bytes")
    if not signers:
        raise TrustedListError("no certificate is pinned to check the trusted list's signature")
    root = _verified_root(xml, signers)
    if etree.QName(root).localname != "TrustServiceStatusList":
        raise TrustedListError("the signed element is not a TrustServiceStatusList")
    scheme = _one(root, "tsl:SchemeInformation")
    return TrustedList(
        territory=_text(scheme, "tsl:SchemeTerritory"),
        list_type=_text(scheme, "tsl:TSLType"),
        sequence=int(_text(scheme, "tsl:TSLSequenceNumber") or 0),
        issued=_time(_text(scheme, "tsl:ListIssueDateTime")),
        next_update=_time(_text(scheme, "tsl:NextUpdate/tsl:dateTime")),
        pointers=[
            _pointer(p) for p in scheme.findall("tsl:PointersToOtherTSL/tsl:OtherTSLPointer", NS)
        ],
        services=[
            service
            for provider in root.findall(
                "tsl:TrustServiceProviderList/tsl:TrustServiceProvider", NS
            )
            for service in _services(provider, _text(scheme, "tsl:SchemeTerritory"))
        ],
    )


def _verified_root(xml: bytes, signers: list[x509.Certificate]) -> etree._Element:
    problems = []
    for signer in signers:
        try:
            results = XAdESVerifier().verify(xml, x509_cert=signer)
        except (InvalidSignature, InvalidInput, etree.XMLSyntaxError, ValueError) as error:
            problems.append(str(error))
            continue
        for result in results:
            signed = result.signed_xml
            if signed is not None and etree.QName(signed).namespace == TSL:
                return signed
        problems.append("the signature does not cover the list")
    raise TrustedListError(
        f"the trusted list's signature does not verify with a pinned certificate: {problems[-1]}"
    )


def _pointer(element: etree._Element) -> ListPointer:
    territory = mime_type = ""
    for info in element.findall("tsl:AdditionalInformation/tsl:OtherInformation", NS):
        territory = _text(info, "tsl:SchemeTerritory") or territory
        for child in info:  # MimeType lives in the additional-types namespace
            if etree.QName(child).localname == "MimeType":
                mime_type = (child.text or "").strip()
    return ListPointer(
        territory=territory,
        location=_text(element, "tsl:TSLLocation"),
        signers=_certificates(element, "tsl:ServiceDigitalIdentities/tsl:ServiceDigitalIdentity"),
        mime_type=mime_type,
    )


def _services(provider: etree._Element, territory: str) -> list[TrustService]:
    name = _text(provider, "tsl:TSPInformation/tsl:TSPName/tsl:Name")
    found = []
    for service in provider.findall("tsl:TSPServices/tsl:TSPService/tsl:ServiceInformation", NS):
        qualifiers = [
            (uri.text or "").strip()
            for uri in service.findall(
                "tsl:ServiceInformationExtensions/tsl:Extension/tsl:AdditionalServiceInformation/tsl:URI",
                NS,
            )
        ]
        found.append(
            TrustService(
                provider=name,
                territory=territory,
                service_type=_text(service, "tsl:ServiceTypeIdentifier"),
                status=_text(service, "tsl:ServiceStatus"),
                status_since=_time(_text(service, "tsl:StatusStartingTime")),
                certificates=_certificates(service, "tsl:ServiceDigitalIdentity"),
                qualifiers=qualifiers,
            )
        )
    return found


def _certificates(element: etree._Element, path: str) -> list[x509.Certificate]:
    found = []
    for value in element.findall(f"{path}/tsl:DigitalId/tsl:X509Certificate", NS):
        try:
            found.append(x509.load_der_x509_certificate(base64.b64decode(value.text or "")))
        except (ValueError, binascii.Error) as error:
            raise TrustedListError(f"a trusted list certificate cannot be read: {error}") from error
    return found


def _one(element: etree._Element, path: str) -> etree._Element:
    found = element.find(path, NS)
    if found is None:
        raise TrustedListError(f"the trusted list has no {path.split(':')[-1]}")
    return found


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class TrustedLists:
    """The verified LOTL and the national lists it points to, as one set to decide trust by."""

    lotl: TrustedList | None
    lists: list[TrustedList]

    @property
    def services(self) -> list[TrustService]:
        return [service for listed in self.lists for service in listed.services]

    @property
    def anchors(self) -> list[x509.Certificate]:
        """Return the certificates of every listed CA and TSA service (chains may end at them)."""
        return [
            c
            for s in self.services
            if s.service_type.startswith(ANCHOR_TYPES)
            for c in s.certificates
        ]


# Services whose certificates a chain may end at: CAs, and time-stamping authorities (whose
# listed certificate is the time-stamping unit's own).
ANCHOR_TYPES = (
    "http://uri.etsi.org/TrstSvc/Svctype/CA/",
    "http://uri.etsi.org/TrstSvc/Svctype/TSA",
)
LOTL_FILE = "lotl.xml"


def pinned_signers(path: str) -> list[x509.Certificate]:
    """Return the certificates pinned as LOTL signers, read from the PEM file at ``path``;
    raises `TrustedListError` when there is none."""
    if not path:
        raise TrustedListError(
            "MICROCRED_TRUSTED_LIST_SIGNERS must name a PEM file of the LOTL signing "
            "certificates (published in the Official Journal of the EU)"
        )
    try:
        return x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError) as error:
        raise TrustedListError(
            f"the pinned LOTL signers cannot be read from {path}: {error}"
        ) from error


def national_file(territory: str) -> str:
    """Return the cache file name of ``territory``'s list."""
    return f"tl-{''.join(ch for ch in territory.upper() if ch.isalpha())[:2]}.xml"


def load_cache(folder: Path, lotl_signers: list[x509.Certificate]) -> TrustedLists:
    """Return the lists cached in ``folder`` (by ``microcred trust refresh``), each verified
    again on loading: the LOTL with ``lotl_signers``, each national list with the signers the
    LOTL names for it. An absent cache is an empty set; a list that no longer verifies is
    left out."""
    path = folder / LOTL_FILE
    if not lotl_signers or not path.is_file():
        return TrustedLists(None, [])
    lotl = read_trusted_list(path.read_bytes(), lotl_signers)
    lists = []
    for pointer in lotl.pointers:
        cached = folder / national_file(pointer.territory)
        if pointer.signers and cached.is_file():
            try:
                lists.append(read_trusted_list(cached.read_bytes(), pointer.signers))
            except TrustedListError:
                continue
    return TrustedLists(lotl, lists)


def seal_verdict(
    chain: list[x509.Certificate], lists: TrustedLists, *, claims_qualified: bool
) -> str | None:
    """Return "qualified seal by <TSP>, <country>" or "advanced seal, trusted (<TSP>,
    <country>)" when a listed CA service issued a certificate of ``chain``; None when none did."""
    for service in lists.services:
        if not any(c == a or issued_by(c, a) for c in chain for a in service.certificates):
            continue
        if service.issues_qualified_seals and claims_qualified:
            return f"qualified seal by {service.provider}, {service.territory}"
        return f"advanced seal, trusted ({service.provider}, {service.territory})"
    return None
