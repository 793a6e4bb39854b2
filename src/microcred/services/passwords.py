"""Passwords: argon2id hashes, a minimum length, and a check that takes the same time either way."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte of "password" is a denial of service, not a password
MIN_DISTINCT = 5  # "aaaaaaaaaaab" and "121212121212" are long but guessed at once

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory defaults
# Checked against when the account does not exist, so an unknown email costs the same time.
_DUMMY_HASH = _hasher.hash("microcred-no-such-account")


class WeakPassword(ValueError):
    """A password that cannot be set; the message says what it needs."""


def check_password_rules(password: str) -> None:
    """Raise WeakPassword when ``password`` is too short, too long, too repetitive or too common."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password may have at most {MAX_LENGTH} characters")
    if len(set(password.casefold())) < MIN_DISTINCT:
        raise WeakPassword(f"the password needs at least {MIN_DISTINCT} different characters")
    if password.casefold() in _common_passwords():
        raise WeakPassword("this password is one of the most commonly used; choose another")


@cache
def _common_passwords() -> frozenset[str]:
    """Return the bundled list of common passwords, case-folded."""
    text = files("microcred").joinpath("data/passwords/common.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line and not line.startswith("#")
    )


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password`` after checking the rules."""
    check_password_rules(password)
    return _hasher.hash(password)


def password_matches(password: str, stored_hash: str | None) -> bool:
    """True when ``password`` matches ``stored_hash``; None (no password set) never matches."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
