"""Where microcred keeps its data and how it is reached, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "microcred"


def default_database_url() -> str:
    url = os.environ.get("MICROCRED_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{default_data_dir() / 'microcred.db'}"


@dataclass(frozen=True)
class Settings:
    """The effective configuration of one microcred process."""

    database_url: str = field(default_factory=default_database_url)
    base_url: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_BASE_URL", "http://127.0.0.1:8000")
    )
    secret_key: str = field(default_factory=lambda: os.environ.get("MICROCRED_SECRET_KEY", ""))
    eslp_min_eqf: int = field(
        default_factory=lambda: int(os.environ.get("MICROCRED_ESLP_MIN_EQF", "5"))
    )
    # TOML or JSON list of trusted credential issuers (see microcred.verify.trust); "" for none.
    trusted_issuers_file: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_TRUSTED_ISSUERS", "")
    )
    # The operator's bootstrap token: a Bearer token acting as the instance operator with every
    # scope (docs/roles.md); "" for none. Everyone else uses their own API tokens.
    api_token: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_API_TOKEN", ""), repr=False
    )
    # "web": institutions issue as did:web under base_url; "key": as did:key (offline use).
    issuer_did_method: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_ISSUER_DID_METHOD", "web")
    )
    # OpenID Connect single sign-on (docs/roles.md); off while the issuer URL is "".
    oidc_issuer: str = field(default_factory=lambda: os.environ.get("MICROCRED_OIDC_ISSUER", ""))
    oidc_client_id: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_OIDC_CLIENT_ID", "")
    )
    oidc_client_secret: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_OIDC_CLIENT_SECRET", ""), repr=False
    )
    # Outgoing e-mail (claim links, one-time codes); an empty host sends nothing.
    smtp_host: str = field(default_factory=lambda: os.environ.get("MICROCRED_SMTP_HOST", ""))
    smtp_port: int = field(
        default_factory=lambda: int(os.environ.get("MICROCRED_SMTP_PORT", "587"))
    )
    smtp_user: str = field(default_factory=lambda: os.environ.get("MICROCRED_SMTP_USER", ""))
    smtp_password: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_SMTP_PASSWORD", ""), repr=False
    )
    smtp_from: str = field(
        default_factory=lambda: os.environ.get("MICROCRED_SMTP_FROM", "microcred@localhost")
    )
    smtp_starttls: bool = field(
        default_factory=lambda: (
            os.environ.get("MICROCRED_SMTP_STARTTLS", "true").lower() in ("1", "true", "yes", "on")
        )
    )
