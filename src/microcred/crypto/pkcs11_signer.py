"""Signing keys held in a hardware security module, reached through PKCS#11.

A key in an HSM never leaves it: `Pkcs11Key` is a `PrivateKey` whose `sign` asks the token,
so the Data Integrity, JOSE and status-list code signs with it exactly as with a software key.
Ed25519 uses CKM_EDDSA; P-256 uses CKM_ECDSA over a SHA-256 digest computed here, and the token
answers with the raw ``r || s`` form our proofs use.

A key is named by a PKCS#11 URI (RFC 7512), of which microcred reads ``token`` (the token's
label) and ``object`` (the key pair's label): ``pkcs11:token=issuing;object=th-lahntal-2025``.
The library and the user PIN come from the ``pkcs11_module`` and ``pkcs11_pin`` settings
(`Pkcs11Config`); neither is ever stored in the database.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from microcred.crypto.keys import ED25519, P256, PrivateKey, PublicKey

SCHEME = "pkcs11:"
# DER of the curve OIDs in CKA_EC_PARAMS: id-Ed25519 (1.3.101.112) and prime256v1.
_ED25519_PARAMS = bytes.fromhex("06032b6570")
_P256_PARAMS = bytes.fromhex("06082a8648ce3d030107")
_CURVE_PARAMS = {ED25519: _ED25519_PARAMS, P256: _P256_PARAMS}

_libraries: dict[str, Any] = {}
_libraries_lock = threading.Lock()
# One session at a time: a token's login state is shared by every session this process opens.
_session_lock = threading.Lock()


class Pkcs11Error(ValueError):
    """The HSM key cannot be reached or used as asked; the message says what to fix."""


@dataclass(frozen=True)
class Pkcs11Uri:
    """Which token and which key pair on it: the ``token`` and ``object`` of a PKCS#11 URI."""

    token: str
    object: str

    @classmethod
    def parse(cls, uri: str) -> Pkcs11Uri:
        if not uri.startswith(SCHEME):
            raise Pkcs11Error(f"a PKCS#11 key location starts with 'pkcs11:', not {uri!r}")
        path = uri[len(SCHEME) :].split("?", 1)[0]
        attributes = dict(
            (name, unquote(value))
            for name, _, value in (part.partition("=") for part in path.split(";") if part)
        )
        if not attributes.get("token") or not attributes.get("object"):
            raise Pkcs11Error(
                f"the PKCS#11 URI {uri!r} must name the token and the key, e.g. "
                "'pkcs11:token=issuing;object=my-key'"
            )
        return cls(attributes["token"], attributes["object"])

    def __str__(self) -> str:
        return f"{SCHEME}token={self.token};object={self.object}"


@dataclass(frozen=True)
class Pkcs11Config:
    """Where the PKCS#11 library is and the PIN that opens the token (from the settings)."""

    module: str
    pin: str

    @classmethod
    def checked(cls, module: str, pin: str) -> Pkcs11Config:
        """Return the config, or `Pkcs11Error` naming the setting that is missing."""
        if not module or not pin:
            raise Pkcs11Error(
                "this key lives in an HSM: set MICROCRED_PKCS11_MODULE (the PKCS#11 library, "
                "e.g. /usr/lib/softhsm/libsofthsm2.so) and MICROCRED_PKCS11_PIN"
            )
        return cls(module, pin)

    def __repr__(self) -> str:
        return f"Pkcs11Config(module={self.module!r}, pin hidden)"


class Pkcs11Key(PrivateKey):
    """A signing key inside a PKCS#11 token; signs there, and has no secret to give out."""

    def __init__(self, algorithm: str, public_key: PublicKey, token: Any, uri: Pkcs11Uri, pin: str):
        if algorithm not in _CURVE_PARAMS:
            raise Pkcs11Error(f"microcred signs with Ed25519 or P-256 HSM keys, not {algorithm}")
        self.algorithm = algorithm
        self.public_key = public_key
        self.uri = uri
        self._token = token
        self._pin = pin

    def sign(self, message: bytes) -> bytes:
        from pkcs11 import Mechanism, ObjectClass
        from pkcs11.exceptions import PKCS11Error

        if self.algorithm == ED25519:
            data, mechanism = message, Mechanism.EDDSA
        else:
            data, mechanism = hashlib.sha256(message).digest(), Mechanism.ECDSA
        try:
            with _session_lock, self._token.open(user_pin=self._pin) as session:
                key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=self.uri.object)
                return bytes(key.sign(data, mechanism=mechanism))
        except PKCS11Error as error:
            raise Pkcs11Error(f"the HSM refused to sign with {self.uri}: {error!r}") from error

    def secret_bytes(self) -> bytes:
        raise Pkcs11Error(f"the key {self.uri} lives in an HSM; its secret cannot be read")

    def __repr__(self) -> str:
        public = self.public_key.to_bytes().hex()[:16]
        return f"Pkcs11Key({self.algorithm}, {self.uri}, public={public}...)"

    __str__ = __repr__


def open_pkcs11_key(uri: str, config: Pkcs11Config) -> Pkcs11Key:
    """Return the HSM key named by ``uri``, ready to sign; raises `Pkcs11Error` naming the fix."""
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.exceptions import NoSuchKey, PKCS11Error

    where = Pkcs11Uri.parse(uri)
    token = _token(config, where)
    try:
        with _session_lock, token.open(user_pin=config.pin) as session:
            public = session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=where.object)
            params, point = bytes(public[Attribute.EC_PARAMS]), bytes(public[Attribute.EC_POINT])
    except NoSuchKey:
        raise Pkcs11Error(
            f"the token {where.token!r} holds no key labelled {where.object!r}"
        ) from None
    except PKCS11Error as error:
        raise Pkcs11Error(f"cannot read the key {where} from the HSM: {error!r}") from error
    algorithm = next((name for name, der in _CURVE_PARAMS.items() if der == params), None)
    if algorithm is None:
        raise Pkcs11Error(f"the key {where} is neither Ed25519 nor P-256")
    public_key = PublicKey.from_bytes(algorithm, _unwrap_octet_string(point))
    return Pkcs11Key(algorithm, public_key, token, where, config.pin)


def generate_pkcs11_key(uri: str, config: Pkcs11Config, algorithm: str = ED25519) -> Pkcs11Key:
    """Make a key pair (Ed25519 or P-256) on the token, labelled as ``uri`` says; return it."""
    from pkcs11 import Attribute, KeyType

    where = Pkcs11Uri.parse(uri)
    if algorithm not in _CURVE_PARAMS:
        raise Pkcs11Error(f"microcred makes Ed25519 or P-256 HSM keys, not {algorithm}")
    key_type = KeyType.EC_EDWARDS if algorithm == ED25519 else KeyType.EC
    token = _token(config, where)
    with _session_lock, token.open(user_pin=config.pin, rw=True) as session:
        parameters = session.create_domain_parameters(
            key_type, {Attribute.EC_PARAMS: _CURVE_PARAMS[algorithm]}, local=True
        )
        parameters.generate_keypair(store=True, label=where.object)
    return open_pkcs11_key(str(where), config)


def _token(config: Pkcs11Config, where: Pkcs11Uri) -> Any:
    import pkcs11
    from pkcs11.exceptions import NoSuchToken

    with _libraries_lock:
        if config.module not in _libraries:
            try:
                _libraries[config.module] = pkcs11.lib(config.module)
            except RuntimeError as error:
                raise Pkcs11Error(
                    f"cannot load the PKCS#11 library {config.module}: {error}"
                ) from error
        library = _libraries[config.module]
    try:
        return library.get_token(token_label=where.token)
    except NoSuchToken:
        raise Pkcs11Error(f"no PKCS#11 token is labelled {where.token!r}") from None


def _unwrap_octet_string(point: bytes) -> bytes:
    """Return the key bytes of CKA_EC_POINT, which tokens give DER-wrapped (or, some, bare)."""
    if len(point) > 2 and point[0] == 0x04 and point[1] == len(point) - 2:
        return point[2:]
    if len(point) > 3 and point[0] == 0x04 and point[1] == 0x81 and point[2] == len(point) - 3:
        return point[3:]
    return point
