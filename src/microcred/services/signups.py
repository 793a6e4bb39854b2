"""Learner sign-up: an e-mail address proven by a one-time code, then an account.

Step one takes a name and an address and e-mails a six-digit code; step two takes the code
and a password and makes the account. Nothing is stored until the code is right: the pending
sign-up travels as a signed, time-limited ticket (a cookie) holding the address, the name and
an HMAC of the code (keyed by the installation's secret and a nonce), never the code itself.
The ticket expires after `CODE_LIFETIME`. Wrong codes are counted per address by the caller's
rate limiter (a ticket replayed does not reset that count).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from microcred.config import Settings
from microcred.services.accounts import Account, AccountError, Accounts, normalise_email
from microcred.services.delivery.badge_image import DEFAULT_COLOUR as BRAND_COLOUR
from microcred.services.delivery.email_message import compose

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=15)
MAX_NAME_LENGTH = 200
_SALT = "microcred-signup"


class SignupError(ValueError):
    """A sign-up step that cannot go on; the message says what to do, `kind` which input
    (email, name, code, expired, missing, exists, password) so a page can say it in its
    language."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class PendingSignup:
    email: str
    name: str


class Signups:
    """Start a sign-up (a ticket and the code to e-mail) and finish it (the account)."""

    def __init__(self, accounts: Accounts, secret_key: str) -> None:
        self.accounts = accounts
        self._secret = secret_key.encode("utf-8")
        self._tickets = URLSafeTimedSerializer(secret_key, salt=_SALT)

    def start(self, email: str, name: str) -> tuple[str, str]:
        """Return (ticket, code) for a new sign-up; raises `SignupError` on a bad address/name."""
        try:
            address = normalise_email(email)
        except AccountError as error:
            raise SignupError("email", str(error)) from None
        shown = " ".join(name.split())
        if not shown or len(shown) > MAX_NAME_LENGTH:
            raise SignupError("name", f"give your name (at most {MAX_NAME_LENGTH} characters)")
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        nonce = secrets.token_urlsafe(16)
        ticket = self._tickets.dumps(
            {"email": address, "name": shown, "nonce": nonce, "code": self._mac(nonce, code)}
        )
        return ticket, code

    def pending(self, ticket: str) -> PendingSignup:
        """Return the sign-up a ticket stands for; raises `SignupError` if expired or forged."""
        data = self._load(ticket)
        return PendingSignup(email=data["email"], name=data["name"])

    def finish(self, ticket: str, code: str, password: str) -> Account:
        """Return the new account when ``code`` is right; raises `SignupError` otherwise."""
        data = self._load(ticket)
        typed = code.strip().replace(" ", "")
        if not hmac.compare_digest(data["code"], self._mac(data["nonce"], typed)):
            raise SignupError("code", "the code is not right: check the e-mail, or start again")
        try:
            return self.accounts.create_user(
                data["email"], actor="sign-up", password=password, display_name=data["name"]
            )
        except AccountError as error:
            kind = "exists" if "exists already" in str(error) else "password"
            raise SignupError(kind, str(error)) from None

    def _load(self, ticket: str) -> dict[str, str]:
        try:
            data = self._tickets.loads(ticket, max_age=int(CODE_LIFETIME.total_seconds()))
        except SignatureExpired:
            raise SignupError("expired", "the code has expired: start again") from None
        except BadSignature:
            raise SignupError("missing", "there is no sign-up to finish: start again") from None
        if not isinstance(data, dict) or not {"email", "name", "nonce", "code"} <= data.keys():
            raise SignupError("missing", "there is no sign-up to finish: start again")
        return data

    def _mac(self, nonce: str, code: str) -> str:
        message = f"{nonce}:{code}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()


def signup_code_message(
    settings: Settings, to: str, name: str, code: str, language: str
) -> EmailMessage:
    """Return the e-mail carrying a sign-up's one-time code, in ``language``."""
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    context = {"name": name, "code": code, "minutes": minutes, "colour": BRAND_COLOUR}
    return compose(
        "signup_code", to=to, sender=settings.smtp_from, language=language, context=context
    )
