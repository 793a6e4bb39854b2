"""EU trusted lists built and XAdES-signed in the tests (ETSI TS 119 612 shapes): a LOTL that
points to national lists, and national lists with CA services."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import SignatureMethod
from signxml.xades import XAdESSigner

from microcred.crypto.trusted_list import FOR_E_SEALS, GRANTED, LOTL_TYPE, QUALIFIED_CA, TSL

ADDITIONAL = "http://uri.etsi.org/02231/v2/additionaltypes#"
GENERIC_TYPE = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric"


@dataclass
class Pointer:
    territory: str
    location: str
    signer: x509.Certificate
    mime_type: str = "application/vnd.etsi.tsl+xml"


@dataclass
class Service:
    provider: str
    certificate: x509.Certificate
    service_type: str = QUALIFIED_CA
    status: str = GRANTED
    qualifiers: tuple[str, ...] = (FOR_E_SEALS,)


def _e(parent, name: str, text: str | None = None, namespace: str = TSL):
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        element.text = text
    return element


def _certificate(parent, certificate: x509.Certificate) -> None:
    digital = _e(parent, "DigitalId")
    der = certificate.public_bytes(serialization.Encoding.DER)
    _e(digital, "X509Certificate", base64.b64encode(der).decode())


def _scheme(root, territory: str, list_type: str, sequence: int):
    scheme = _e(root, "SchemeInformation")
    _e(scheme, "TSLVersionIdentifier", "5")
    _e(scheme, "TSLSequenceNumber", str(sequence))
    _e(scheme, "TSLType", list_type)
    name = _e(_e(scheme, "SchemeOperatorName"), "Name", f"Test scheme operator {territory}")
    name.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    _e(scheme, "SchemeTerritory", territory)
    now = datetime.now(UTC)
    _e(scheme, "ListIssueDateTime", now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _e(
        _e(scheme, "NextUpdate"),
        "dateTime",
        (now + timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return scheme


def lotl_xml(pointers: list[Pointer], sequence: int = 1):
    root = etree.Element(f"{{{TSL}}}TrustServiceStatusList", nsmap={None: TSL, "ns3": ADDITIONAL})
    root.set("TSLTag", "http://uri.etsi.org/19612/TSLTag")
    scheme = _scheme(root, "EU", LOTL_TYPE, sequence)
    others = _e(scheme, "PointersToOtherTSL")
    for pointer in pointers:
        other = _e(others, "OtherTSLPointer")
        identity = _e(_e(other, "ServiceDigitalIdentities"), "ServiceDigitalIdentity")
        _certificate(identity, pointer.signer)
        _e(other, "TSLLocation", pointer.location)
        information = _e(other, "AdditionalInformation")
        _e(_e(information, "OtherInformation"), "SchemeTerritory", pointer.territory)
        _e(_e(information, "OtherInformation"), "MimeType", pointer.mime_type, ADDITIONAL)
    return root


def national_xml(territory: str, services: list[Service], sequence: int = 1):
    root = etree.Element(f"{{{TSL}}}TrustServiceStatusList", nsmap={None: TSL})
    root.set("TSLTag", "http://uri.etsi.org/19612/TSLTag")
    _scheme(root, territory, GENERIC_TYPE, sequence)
    providers = _e(root, "TrustServiceProviderList")
    for service in services:
        provider = _e(providers, "TrustServiceProvider")
        name = _e(_e(_e(provider, "TSPInformation"), "TSPName"), "Name", service.provider)
        name.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        information = _e(_e(_e(provider, "TSPServices"), "TSPService"), "ServiceInformation")
        _e(information, "ServiceTypeIdentifier", service.service_type)
        _e(_e(information, "ServiceName"), "Name", f"{service.provider} CA")
        _certificate(_e(information, "ServiceDigitalIdentity"), service.certificate)
        _e(information, "ServiceStatus", service.status)
        _e(information, "StatusStartingTime", "2020-01-01T00:00:00Z")
        extensions = _e(information, "ServiceInformationExtensions")
        for qualifier in service.qualifiers:
            extension = _e(extensions, "Extension")
            extension.set("Critical", "false")
            _e(_e(extension, "AdditionalServiceInformation"), "URI", qualifier)
    return root


def signed(root, key, certificate: x509.Certificate) -> bytes:
    """Return ``root`` XAdES-signed (enveloped) by ``key``, its certificate in KeyInfo."""
    signer = XAdESSigner(signature_algorithm=SignatureMethod.RSA_SHA256)
    return etree.tostring(
        signer.sign(root, key=key, cert=[certificate]), xml_declaration=True, encoding="UTF-8"
    )
