"""Signing keys: Ed25519, P-256 and P-384 key pairs.

`PrivateKey` signs, `PublicKey` verifies; ECDSA signatures are the raw `r || s` form that Data
Integrity and JOSE use. ECDSA signing is deterministic (RFC 6979): the same key and message give
the same signature, so the W3C vc-di-ecdsa vectors reproduce byte for byte and no signature
depends on the quality of a random source at signing time. A private key never shows its secret
in `repr` or `str`; export it only sealed (see `key_sealing`).
"""

from __future__ import annotations

import base64
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

ED25519 = "Ed25519"
P256 = "P-256"
P384 = "P-384"

_CURVES: dict[str, tuple[ec.EllipticCurve, hashes.HashAlgorithm, int]] = {
    P256: (ec.SECP256R1(), hashes.SHA256(), 32),
    P384: (ec.SECP384R1(), hashes.SHA384(), 48),
}
SIGNING_ALGORITHMS = (ED25519, P256, P384)
SIGNING_CHOICES = "Ed25519, P-256 or P-384"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class PublicKey:
    """A public key that verifies signatures: `algorithm` is 'Ed25519', 'P-256' or 'P-384'."""

    def __init__(self, algorithm: str, key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey):
        self.algorithm = algorithm
        self._key = key

    @classmethod
    def from_bytes(cls, algorithm: str, data: bytes) -> PublicKey:
        """Build a key from raw Ed25519 bytes or a SEC1 (compressed or not) EC point."""
        try:
            if algorithm == ED25519:
                return cls(algorithm, ed25519.Ed25519PublicKey.from_public_bytes(data))
            if algorithm in _CURVES:
                curve = _CURVES[algorithm][0]
                return cls(algorithm, ec.EllipticCurvePublicKey.from_encoded_point(curve, data))
        except ValueError as error:
            raise ValueError(f"not a valid {algorithm} public key: {error}") from error
        raise ValueError(f"unsupported key algorithm {algorithm!r}")

    @classmethod
    def from_jwk(cls, jwk: Any) -> PublicKey:
        """Build a key from a public JWK (OKP Ed25519, or EC P-256 / P-384); raises ValueError."""
        if not isinstance(jwk, dict):
            raise ValueError("a JWK must be a JSON object")
        if "d" in jwk:
            raise ValueError("the JWK holds a private key; send only the public part")
        kty, crv = jwk.get("kty"), jwk.get("crv")

        def coordinate(name: str) -> bytes:
            value = jwk.get(name)
            if not isinstance(value, str):
                raise ValueError(f"the JWK has no '{name}'")
            try:
                return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            except ValueError as error:
                raise ValueError(f"the JWK's '{name}' is not base64url") from error

        if kty == "OKP" and crv == ED25519:
            return cls.from_bytes(ED25519, coordinate("x"))
        if kty == "EC" and crv in _CURVES:
            return cls.from_bytes(crv, b"\x04" + coordinate("x") + coordinate("y"))
        raise ValueError(f"unsupported JWK (kty {kty!r}, crv {crv!r}); use Ed25519, P-256 or P-384")

    def to_bytes(self) -> bytes:
        """Return raw Ed25519 bytes, or the compressed SEC1 point of an EC key."""
        if isinstance(self._key, ed25519.Ed25519PublicKey):
            return self._key.public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        return self._key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Return True when `signature` is this key's signature of `message`."""
        try:
            if isinstance(self._key, ed25519.Ed25519PublicKey):
                self._key.verify(signature, message)
                return True
            _curve, digest, size = _CURVES[self.algorithm]
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            self._key.verify(encode_dss_signature(r, s), message, ec.ECDSA(digest))
            return True
        except InvalidSignature:
            return False

    def to_jwk(self) -> dict[str, str]:
        """Return the public JWK (RFC 7517 / RFC 8037) of this key."""
        if isinstance(self._key, ed25519.Ed25519PublicKey):
            return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(self.to_bytes())}
        size = _CURVES[self.algorithm][2]
        numbers = self._key.public_numbers()
        return {
            "kty": "EC",
            "crv": self.algorithm,
            "x": _b64url(numbers.x.to_bytes(size, "big")),
            "y": _b64url(numbers.y.to_bytes(size, "big")),
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and (self.algorithm, self.to_bytes()) == (
            other.algorithm,
            other.to_bytes(),
        )

    def __hash__(self) -> int:
        return hash((self.algorithm, self.to_bytes()))

    def __repr__(self) -> str:
        return f"PublicKey({self.algorithm}, {self.to_bytes().hex()[:16]}...)"


class PrivateKey:
    """A signing key. Its secret never appears in `repr`, `str` or logs."""

    def __init__(self, algorithm: str, key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        if algorithm not in SIGNING_ALGORITHMS:
            raise ValueError(f"microcred signs with {SIGNING_CHOICES}, not {algorithm}")
        self.algorithm = algorithm
        self._key = key
        self.public_key = PublicKey(algorithm, key.public_key())

    @classmethod
    def generate(cls, algorithm: str = ED25519) -> PrivateKey:
        """Return a fresh random key pair for 'Ed25519' (the default), 'P-256' or 'P-384'."""
        if algorithm == ED25519:
            return cls(algorithm, ed25519.Ed25519PrivateKey.generate())
        if algorithm in _CURVES:
            return cls(algorithm, ec.generate_private_key(_CURVES[algorithm][0]))
        raise ValueError(f"microcred signs with {SIGNING_CHOICES}, not {algorithm}")

    @classmethod
    def from_secret_bytes(cls, algorithm: str, secret: bytes) -> PrivateKey:
        """Build a key from its raw secret (32-byte Ed25519 seed, or a P-256 / P-384 scalar)."""
        if algorithm == ED25519:
            return cls(algorithm, ed25519.Ed25519PrivateKey.from_private_bytes(secret))
        if algorithm in _CURVES:
            curve, _digest, size = _CURVES[algorithm]
            if len(secret) != size:
                raise ValueError(f"a {algorithm} secret is {size} bytes, not {len(secret)}")
            scalar = int.from_bytes(secret, "big")
            return cls(algorithm, ec.derive_private_key(scalar, curve))
        raise ValueError(f"microcred signs with {SIGNING_CHOICES}, not {algorithm}")

    def secret_bytes(self) -> bytes:
        """Return the raw secret; only `key_sealing` should need this."""
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
        size = _CURVES[self.algorithm][2]
        return self._key.private_numbers().private_value.to_bytes(size, "big")

    def sign(self, message: bytes) -> bytes:
        """Return the signature of `message`: Ed25519, or deterministic ECDSA as r || s.

        P-256 hashes with SHA-256 and P-384 with SHA-384, as the ECDSA cryptosuites and JOSE
        (ES256 / ES384) require.
        """
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(message)
        _curve, digest, size = _CURVES[self.algorithm]
        der = self._key.sign(message, ec.ECDSA(digest, deterministic_signing=True))
        r, s = decode_dss_signature(der)
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def __repr__(self) -> str:
        public = self.public_key.to_bytes().hex()[:16]
        return f"PrivateKey({self.algorithm}, public={public}..., secret hidden)"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("private keys are not pickled; seal them with key_sealing.seal_private_key")
