"""The limits of every outbound read in one place, and the operator's settings that widen them."""

from __future__ import annotations

import functools
import ipaddress
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from microcred.config import Settings
from microcred.net.addresses import IPAddress, IPNetwork, admitted, is_public

MAX_REDIRECTS = 3
MAX_BODY_BYTES = 1024 * 1024
CONNECT_TIMEOUT_SECONDS = 3.0
# One fetch, redirects, TLS and a body dripped a byte at a time included, ends by then.
DEADLINE_SECONDS = 5.0

# host, port, seconds → the host's addresses (see microcred.net.resolving)
Resolver = Callable[[str, int, float], list[str]]


@dataclass(frozen=True)
class FetchPolicy:
    """What an outbound read may reach and how long and how much it may take."""

    allow_private: bool = False
    networks: tuple[IPNetwork, ...] = ()
    max_redirects: int = MAX_REDIRECTS
    max_body_bytes: int = MAX_BODY_BYTES
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS
    deadline: float = DEADLINE_SECONDS
    ca_file: str = ""
    # Tests inject these; None means the system's resolver and CA store (plus `ca_file`).
    resolver: Resolver | None = field(default=None, compare=False)
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """Return the policy that `MICROCRED_FETCH_*` settings ask for."""
        return cls(
            allow_private=settings.fetch_allow_private,
            networks=parse_networks(settings.fetch_allowed_networks),
            ca_file=settings.fetch_ca_file,
        )

    def may_connect(self, address: IPAddress, *, plain_http: bool) -> bool:
        """Return True when a fetch may connect to `address` (over plain http if so said).

        Plain http goes only to addresses the operator's setting admits (a test server, an
        intranet), never to the public internet, where TLS is required.
        """
        operator_admits = admitted(
            address, allow_private=self.allow_private, networks=self.networks
        )
        if plain_http:
            return operator_admits and not is_public(address)
        return operator_admits or is_public(address)

    def tls_context(self) -> ssl.SSLContext:
        """Return the context that checks servers' certificates (system CAs plus `ca_file`)."""
        if self.ssl_context is not None:
            return self.ssl_context
        return _tls_context(self.ca_file)


@functools.lru_cache(maxsize=4)
def _tls_context(ca_file: str) -> ssl.SSLContext:
    """Return a verifying TLS context; kept, because loading the CA store takes milliseconds."""
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def current_policy() -> FetchPolicy:
    """Return the policy of this process's settings, read afresh (environment, config file)."""
    return FetchPolicy.from_settings(Settings())


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Return the networks of a comma-separated list such as ``10.0.0.0/8, fd00::/8``."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip()
    )
