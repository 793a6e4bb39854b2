"""This tool's own key: RSA (LTI 1.3 asks every tool for RS256), kept sealed under the KEK, its
public half published as a JWKS, and the JWTs the tool sends signed with it."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from microcred.crypto.x509_seal import open_key, seal_key
from microcred.store.database import Database
from microcred.store.lti_tables import LtiToolKeyRow

RSA_BITS = 2048


class ToolKey:
    """The tool's signing key; made on first use and then read from the database."""

    def __init__(self, db: Database, kek: Callable[[], bytes]) -> None:
        self.db = db
        self._kek = kek
        self._loaded: tuple[str, rsa.RSAPrivateKey] | None = None

    def __repr__(self) -> str:
        return "ToolKey(<sealed>)"

    def jwks(self) -> dict[str, Any]:
        """Return the public keys platforms check the tool's messages with."""
        kid, key = self._current()
        numbers = key.public_key().public_numbers()
        jwk = {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": kid,
            "n": _b64_int(numbers.n),
            "e": _b64_int(numbers.e),
        }
        return {"keys": [jwk]}

    def sign(self, claims: dict[str, Any]) -> str:
        """Return ``claims`` as a compact RS256 JWS under the tool's key."""
        kid, key = self._current()
        header = {"alg": "RS256", "typ": "JWT", "kid": kid}
        signed = f"{_b64_json(header)}.{_b64_json(claims)}"
        signature = key.sign(signed.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signed}.{_b64(signature)}"

    def _current(self) -> tuple[str, rsa.RSAPrivateKey]:
        if self._loaded is None:
            self._loaded = self._load() or self._make()
        return self._loaded

    def _load(self) -> tuple[str, rsa.RSAPrivateKey] | None:
        with self.db.transaction(write=False) as session:
            row = session.scalars(
                sa.select(LtiToolKeyRow).order_by(LtiToolKeyRow.created_at.desc()).limit(1)
            ).first()
            if row is None:
                return None
            kid, sealed = row.kid, row.sealed_private_key
        key = open_key(sealed, self._kek())
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the stored LTI tool key is not an RSA key")
        return kid, key

    def _make(self) -> tuple[str, rsa.RSAPrivateKey]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
        kid = secrets.token_hex(8)
        with self.db.transaction() as session:
            session.add(LtiToolKeyRow(kid=kid, sealed_private_key=seal_key(key, self._kek())))
        # Two first uses at once would make two keys; the newest is the one both go on with.
        return self._load() or (kid, key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_json(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def _b64_int(number: int) -> str:
    return _b64(number.to_bytes((number.bit_length() + 7) // 8, "big"))
