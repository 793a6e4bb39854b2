"""A small test PKI: certificate authorities and chains with chosen faults, a JAdES sealer that
writes any header, and an RFC 3161 time-stamping authority (request in, response out)."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TEST_POLICY = "1.3.6.1.4.1.55555.1.1"  # a made-up TSA policy id for the tests

_KEYS: list[rsa.RSAPrivateKey] = []


def rsa_key() -> rsa.RSAPrivateKey:
    """Return an RSA key (a few are made once per process and reused: generating is slow)."""
    if len(_KEYS) < 6:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        return _KEYS[-1]
    _KEYS.append(_KEYS.pop(0))
    return _KEYS[-1]


@dataclass
class Authority:
    """A key and its certificate."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def usage(*, sign: bool = False, cert_sign: bool = False, non_repudiation: bool = False):
    """Return a KeyUsage: digitalSignature, nonRepudiation, keyCertSign and cRLSign as asked."""
    return x509.KeyUsage(
        sign, non_repudiation, False, False, False, cert_sign, cert_sign, False, False
    )


def certificate(
    name: str,
    issuer: Authority | None,
    *,
    ca: bool | None = True,
    path_length: int | None = None,
    key_usage: x509.KeyUsage | None = None,
    extended: list[x509.ObjectIdentifier] | None = None,
    extended_critical: bool = False,
    not_before: datetime = NOW - timedelta(days=365),
    not_after: datetime = NOW + timedelta(days=365),
    name_constraints: bool = False,
    extra: tuple[x509.ExtensionType, ...] = (),
    fresh_key: bool = False,
) -> Authority:
    """Return a certificate for ``name`` issued by ``issuer`` (self-signed when None); with
    ``fresh_key`` its key is made for it, never shared with another test certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if fresh_key else rsa_key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca, path_length), critical=True)
    if key_usage is None and ca:
        key_usage = usage(cert_sign=True)
    elif key_usage is None:
        key_usage = usage(sign=True, non_repudiation=True)
    builder = builder.add_extension(key_usage, critical=True)
    if extended is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended), extended_critical)
    if name_constraints:
        allowed = [x509.DNSName("uni.example")]
        builder = builder.add_extension(x509.NameConstraints(allowed, None), critical=True)
    for extension in extra:
        builder = builder.add_extension(extension, critical=False)
    signer = issuer.key if issuer else key
    return Authority(key, builder.sign(signer, hashes.SHA256()))


def seal_certificate(issuer: Authority, name: str = "Test University seal", **options: Any):
    return certificate(name, issuer, ca=False, **options)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def der(certificate_: x509.Certificate) -> bytes:
    return certificate_.public_bytes(serialization.Encoding.DER)


def seal_with_header(
    payload: bytes,
    sealer: Authority,
    chain: list[x509.Certificate],
    header: dict[str, Any],
    *,
    timestamper: Callable[[bytes], bytes] | None = None,
) -> dict[str, Any]:
    """Return a JWS JSON seal of ``payload`` with exactly ``header`` (plus alg RS256 and x5c),
    the payload carried as it is when ``b64`` is false, else base64url-encoded. With a
    ``timestamper``, the unsigned etsiU header holds what a long-term (B-LTA) seal adds, each
    component base64url-encoded: a signature time-stamp (sigTst), the certificate values
    (xVals), revocation values (rVals, empty here) and an archive time-stamp (arcTst)."""
    full = {"alg": "RS256", "x5c": [base64.b64encode(der(c)).decode() for c in chain], **header}
    protected = b64url(json.dumps(full, separators=(",", ":")).encode())
    carried = payload.decode() if full.get("b64") is False else b64url(payload)
    signing_input = f"{protected}.{carried}".encode()
    signature = b64url(sealer.key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256()))
    entry: dict[str, Any] = {"protected": protected, "signature": signature}
    if timestamper is not None:
        entry["header"] = {"etsiU": _long_term_components(timestamper, chain, entry, carried)}
    return {"payload": carried, "signatures": [entry]}


def _long_term_components(
    timestamper: Callable[[bytes], bytes],
    chain: list[x509.Certificate],
    entry: dict[str, Any],
    carried: str,
) -> list[str]:
    def container(data: bytes) -> dict[str, Any]:
        return {"tstTokens": [{"val": base64.b64encode(timestamper(data)).decode()}]}

    def encoded(component: dict[str, Any]) -> str:
        return b64url(json.dumps(component, separators=(",", ":")).encode())

    signature = entry["signature"]
    components = [
        encoded({"sigTst": container(signature.encode())}),
        encoded(
            {"xVals": [{"x509Cert": {"val": base64.b64encode(der(c)).decode()}} for c in chain]}
        ),
        encoded({"rVals": {"ocspVals": []}}),
    ]
    archived = f"{carried}.{entry['protected']}.{signature}" + "".join(components)
    return [*components, encoded({"arcTst": container(archived.encode())})]


@dataclass
class TimestampAuthority:
    """An RFC 3161 time-stamping authority on a test CA: answers TimeStampReq with
    TimeStampResp, its clock set by the test."""

    issuer: Authority
    authority: Authority
    clock: Callable[[], datetime] = lambda: NOW
    serials: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def on(cls, issuer: Authority, **options: Any) -> TimestampAuthority:
        """Return a TSA whose certificate ``issuer`` issued (EKU timeStamping, critical)."""
        authority = certificate(
            "Test time-stamping unit",
            issuer,
            ca=False,
            key_usage=usage(sign=True, non_repudiation=True),
            extended=[ExtendedKeyUsageOID.TIME_STAMPING],
            extended_critical=True,
            **options,
        )
        return cls(issuer, authority)

    def respond(self, request_der: bytes) -> bytes:
        """Return the DER TimeStampResp granting ``request_der`` (a DER TimeStampReq)."""
        request = tsp.TimeStampReq.load(request_der)
        info = {
            "version": "v1",
            "policy": TEST_POLICY,
            "message_imprint": request["message_imprint"],
            "serial_number": next(self.serials),
            "gen_time": self.clock(),
        }
        if request["nonce"].native is not None:
            info["nonce"] = request["nonce"]
        content = tsp.TSTInfo(info).dump()
        certificate_der = der(self.authority.certificate)
        certificate_hash = hashlib.sha256(certificate_der).digest()
        attributes = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["tst_info"]},
                {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
                {
                    "type": "signing_certificate_v2",
                    "values": [{"certs": [{"cert_hash": certificate_hash}]}],
                },
            ]
        )
        signature = self.authority.key.sign(attributes.dump(), padding.PKCS1v15(), hashes.SHA256())
        own = asn1_x509.Certificate.load(certificate_der)
        signer = {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": own.issuer,
                    "serial_number": own.serial_number,
                }
            },
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attributes,
            "signature_algorithm": {"algorithm": "sha256_rsa"},
            "signature": signature,
        }
        signed = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [{"algorithm": "sha256"}],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": core.ParsableOctetString(content),
                },
                "certificates": [
                    own,
                    asn1_x509.Certificate.load(der(self.issuer.certificate)),
                ],
                "signer_infos": [signer],
            }
        )
        token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
        return tsp.TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": token}
        ).dump()

    def timestamper(self, data: bytes) -> bytes:
        """Return a DER TimeStampToken over ``data``, asked for as a client would."""
        request = tsp.TimeStampReq(
            {
                "version": "v1",
                "message_imprint": {
                    "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                    "hashed_message": hashlib.sha256(data).digest(),
                },
                "nonce": int.from_bytes(hashlib.sha256(data + b"nonce").digest()[:8], "big"),
                "cert_req": True,
            }
        )
        response = tsp.TimeStampResp.load(self.respond(request.dump()))
        assert response["status"]["status"].native == "granted"
        return response["time_stamp_token"].dump()


def commission_shaped_seal(
    payload: bytes,
    sealer: Authority,
    root: Authority,
    tsa: TimestampAuthority,
    **extra: Any,
) -> dict[str, Any]:
    """Return a seal shaped like the Commission's signed EDC samples (read from the header of
    Sample-CertOfPart-signed.jsonld): RS256 with x5c, typ jose+json, the payload carried as it
    is (b64 false), sigT, a content time-stamp (adoTst) from ``tsa``, crit [b64, sigT, adoTst],
    and etsiU with sigTst, xVals, rVals and arcTst; ``extra`` header members are added or
    replace those (without b64 false the time-stamp covers the base64url payload)."""
    header: dict[str, Any] = {
        "typ": "jose+json",
        "b64": False,
        "sigT": "2026-03-02T09:31:00Z",
        "crit": ["b64", "sigT", "adoTst"],
        **extra,
    }
    covered = payload if header.get("b64") is False else b64url(payload).encode()
    header.setdefault(
        "adoTst", {"tstTokens": [{"val": base64.b64encode(tsa.timestamper(covered)).decode()}]}
    )
    chain = [sealer.certificate, root.certificate]
    return seal_with_header(payload, sealer, chain, header, timestamper=tsa.timestamper)


def tsa_app(tsa: TimestampAuthority, *, delay: float = 0.0, answer: bytes | None = None):
    """Return an ASGI app serving ``tsa`` as RFC 3161 §3.4 asks (POST a TimeStampReq, get a
    TimeStampResp), after ``delay`` seconds; ``answer`` replaces every response (a bad TSA).
    Its ``requests`` list counts what reached it."""
    import asyncio

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    requests: list[bytes] = []

    async def stamp(request: Request) -> Response:
        body = await request.body()
        requests.append(body)
        if request.headers.get("content-type") != "application/timestamp-query":
            return Response(status_code=415)
        await asyncio.sleep(delay)
        reply = answer if answer is not None else tsa.respond(body)
        return Response(reply, media_type="application/timestamp-reply")

    app = Starlette(routes=[Route("/tsa", stamp, methods=["POST"])])
    app.state.requests = requests
    return app


def revocation_pointers(base: str) -> tuple[x509.ExtensionType, ...]:
    """Return the extensions naming ``base``/ocsp as OCSP responder and ``base``/crl as CRL."""
    return (
        x509.AuthorityInformationAccess(
            [
                x509.AccessDescription(
                    AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(f"{base}/ocsp"),
                )
            ]
        ),
        x509.CRLDistributionPoints(
            [
                x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(f"{base}/crl")], None, None, None
                )
            ]
        ),
    )


@dataclass
class RevocationService:
    """The OCSP responder and CRL of a test CA: ``revoked`` maps serial numbers to the time
    each certificate was revoked; ``ocsp`` off leaves only the CRL to answer."""

    issuer: Authority
    known: list[x509.Certificate] = field(default_factory=list)
    revoked: dict[int, datetime] = field(default_factory=dict)
    ocsp: bool = True
    asked: list[str] = field(default_factory=list)

    def ocsp_response(self, request_der: bytes) -> bytes:
        request = ocsp.load_der_ocsp_request(request_der)
        [subject] = [c for c in self.known if c.serial_number == request.serial_number]
        when = self.revoked.get(subject.serial_number)
        status = ocsp.OCSPCertStatus.REVOKED if when else ocsp.OCSPCertStatus.GOOD
        moment = datetime.now(UTC)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=subject,
            issuer=self.issuer.certificate,
            algorithm=hashes.SHA256(),
            cert_status=status,
            this_update=moment,
            next_update=moment + timedelta(days=7),
            revocation_time=when,
            revocation_reason=x509.ReasonFlags.key_compromise if when else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.issuer.certificate)
        response = builder.sign(self.issuer.key, hashes.SHA256())
        return response.public_bytes(serialization.Encoding.DER)

    def crl(self) -> bytes:
        moment = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.issuer.certificate.subject)
            .last_update(moment)
            .next_update(moment + timedelta(days=7))
        )
        for serial, when in self.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
            )
        return builder.sign(self.issuer.key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER
        )

    def app(self):
        """Return an ASGI app answering POST /ocsp (RFC 6960) and GET /crl (RFC 5280)."""
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        async def answer_ocsp(request: Request) -> Response:
            self.asked.append("ocsp")
            if not self.ocsp:
                return Response(status_code=503)
            body = self.ocsp_response(await request.body())
            return Response(body, media_type="application/ocsp-response")

        async def answer_crl(request: Request) -> Response:
            self.asked.append("crl")
            return Response(self.crl(), media_type="application/pkix-crl")

        return Starlette(
            routes=[
                Route("/ocsp", answer_ocsp, methods=["POST"]),
                Route("/crl", answer_crl, methods=["GET"]),
            ]
        )
