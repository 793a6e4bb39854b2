"""RFC 3161 time-stamp tokens: what a token says, and whether its authority really said it.

A TimeStampToken is a CMS SignedData (RFC 5652) whose signed content is a TSTInfo: the time
(genTime) at which the authority saw a hash (messageImprint) of some data. A token holds when
the imprint is the hash of the data the caller names, the signed attributes name the TSTInfo
(content type) and hash it (message digest), the ESS signing-certificate attribute names the
authority's certificate, and the authority's key signed those attributes. Whether the authority
itself is trusted is a question for its certificate chain (`x509_chain`), answered by the caller.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from microcred.crypto.x509_chain import order_chain

DIGESTS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
MAX_TOKEN_BYTES = 64 * 1024


class TimestampError(ValueError):
    """A time-stamp token cannot be read or does not hold; the message says why."""


@dataclass(frozen=True)
class Timestamp:
    """A verified time-stamp: when, by whom, and the certificates the token carried."""

    time: datetime
    authority: x509.Certificate
    certificates: list[x509.Certificate]

    @property
    def chain(self) -> list[x509.Certificate]:
        """Return the authority's certificate, then its issuers among those the token carried."""
        others = [c for c in self.certificates if c != self.authority]
        return [self.authority, *order_chain(self.authority, others)]


def verify_token(token: bytes, data: bytes) -> Timestamp:
    """Return the time-stamp in ``token`` after checking it covers ``data``; raises
    `TimestampError` saying which part does not hold."""
    if len(token) > MAX_TOKEN_BYTES:
        raise TimestampError(f"the time-stamp token is larger than {MAX_TOKEN_BYTES} bytes")
    try:
        signed, info, signer = _read(token)
        imprint = info["message_imprint"]
        imprint_hash = _digest(imprint["hash_algorithm"]["algorithm"].native)
        if _hash(imprint_hash, data) != imprint["hashed_message"].native:
            raise TimestampError("the time-stamp's message imprint is not the hash of the data")
        certificates = [
            x509.load_der_x509_certificate(choice.chosen.dump())
            for choice in signed["certificates"] or []
            if choice.name == "certificate"
        ]
        authority = _signer_certificate(signer, certificates)
        _check_signed_attributes(signer, signed, authority)
        _check_signature(signer, authority)
        time = info["gen_time"].native
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, TimestampError):
            raise
        raise TimestampError(f"the time-stamp token cannot be read: {error}") from error
    return Timestamp(time.astimezone(UTC), authority, certificates)


def _read(token: bytes) -> tuple[cms.SignedData, tsp.TSTInfo, cms.SignerInfo]:
    content = cms.ContentInfo.load(token, strict=True)
    if content["content_type"].native != "signed_data":
        raise TimestampError("the time-stamp token is not CMS SignedData")
    signed = content["content"]
    encapsulated = signed["encap_content_info"]
    if encapsulated["content_type"].native != "tst_info":
        raise TimestampError("the time-stamp token does not carry a TSTInfo")
    info = encapsulated["content"].parsed
    if not isinstance(info, tsp.TSTInfo):
        raise TimestampError("the time-stamp token's TSTInfo cannot be read")
    signers = signed["signer_infos"]
    if len(signers) != 1:
        raise TimestampError(f"a time-stamp token has one signer, this one {len(signers)}")
    return signed, info, signers[0]


def _signer_certificate(
    signer: cms.SignerInfo, certificates: list[x509.Certificate]
) -> x509.Certificate:
    sid = signer["sid"]
    for certificate in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                certificate.serial_number == wanted["serial_number"].native
                and certificate.issuer.public_bytes() == wanted["issuer"].dump()
            ):
                return certificate
        elif sid.name == "subject_key_identifier":
            try:
                key_id = certificate.extensions.get_extension_for_class(
                    x509.SubjectKeyIdentifier
                ).value.digest
            except x509.ExtensionNotFound:
                continue
            if key_id == sid.chosen.native:
                return certificate
    raise TimestampError("the time-stamp token does not carry its authority's certificate")


def _check_signed_attributes(
    signer: cms.SignerInfo, signed: cms.SignedData, authority: x509.Certificate
) -> None:
    attributes = signer["signed_attrs"]
    if not attributes:
        raise TimestampError("the time-stamp token's signer has no signed attributes")
    found = {attribute["type"].native: attribute["values"][0] for attribute in attributes}
    if found.get("content_type") is None or found["content_type"].native != "tst_info":
        raise TimestampError("the signed content-type attribute does not name a TSTInfo")
    content = signed["encap_content_info"]["content"].contents
    digest = _digest(signer["digest_algorithm"]["algorithm"].native)
    if found.get("message_digest") is None or found["message_digest"].native != _hash(
        digest, content
    ):
        raise TimestampError("the signed message digest is not the hash of the TSTInfo")
    authority_der = authority.public_bytes(serialization.Encoding.DER)
    if "signing_certificate_v2" in found:
        first = found["signing_certificate_v2"]["certs"][0]
        hash_name = first["hash_algorithm"]["algorithm"].native
        expected = first["cert_hash"].native
    elif "signing_certificate" in found:
        first = found["signing_certificate"]["certs"][0]
        hash_name, expected = "sha1", first["cert_hash"].native
    else:
        raise TimestampError("the time-stamp token does not name its authority's certificate")
    if hashlib.new(hash_name, authority_der).digest() != expected:
        raise TimestampError("the signing-certificate attribute names another certificate")


def _check_signature(signer: cms.SignerInfo, authority: x509.Certificate) -> None:
    signed_attributes = signer["signed_attrs"].dump()
    # The signature covers the attributes as a SET OF, not with their [0] IMPLICIT tag.
    data = b"\x31" + signed_attributes[1:]
    signature = signer["signature"].native
    digest = _digest(signer["digest_algorithm"]["algorithm"].native)()
    algorithm = signer["signature_algorithm"].signature_algo
    key = authority.public_key()
    try:
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), digest)
        elif algorithm == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(padding.MGF1(digest), padding.PSS.AUTO)
            key.verify(signature, data, pss, digest)
        elif algorithm == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
        else:
            raise TimestampError(f"the time-stamp is signed with {algorithm}, not supported here")
    except InvalidSignature as error:
        raise TimestampError("the authority's signature on the token does not verify") from error


def _digest(name: str) -> type[hashes.HashAlgorithm]:
    if name not in DIGESTS:
        raise TimestampError(f"the hash algorithm {name} is not accepted in time-stamps")
    return DIGESTS[name]


def _hash(algorithm: type[hashes.HashAlgorithm], data: bytes) -> bytes:
    hasher = hashes.Hash(algorithm())
    hasher.update(data)
    return hasher.finalize()
