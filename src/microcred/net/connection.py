"""Connections for outbound reads: to a checked address only, and never past the deadline.

The host name is resolved once, every address it gave is checked against the policy, and the
socket is opened to exactly that checked address: no second lookup happens (so a name cannot
answer "public" to the check and "127.0.0.1" to the connect). TLS still verifies the
certificate for the name, and the name is sent as SNI and Host.
"""

from __future__ import annotations

import ipaddress
import ssl
import time
import typing

import httpcore

from microcred.net.policy import FetchPolicy
from microcred.net.resolving import resolve


class AddressNotAllowed(Exception):
    """The host is (or resolves to) an address the policy does not let a fetch reach."""


class DeadlinePassed(Exception):
    """The fetch's total time ran out."""


class Deadline:
    """A moment (monotonic clock) by which a fetch must be over."""

    def __init__(self, at: float) -> None:
        self.at = at

    def left(self, wanted: float | None = None) -> float:
        """Return the seconds left (at most `wanted`); raises `DeadlinePassed` when none are."""
        seconds = self.at - time.monotonic()
        if seconds <= 0:
            raise DeadlinePassed
        return seconds if wanted is None else min(seconds, wanted)

    def check_after(self, error: Exception) -> None:
        """Raise `DeadlinePassed` when a wait that just timed out was cut short by the deadline."""
        if time.monotonic() >= self.at - 0.05:
            raise DeadlinePassed from error


class CheckedBackend(httpcore.NetworkBackend):
    """Open TCP connections only to addresses the policy allows, within the deadline."""

    def __init__(self, policy: FetchPolicy, deadline: Deadline, *, plain_http: bool) -> None:
        self.policy = policy
        self.deadline = deadline
        self.plain_http = plain_http
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        resolver = self.policy.resolver or resolve
        addresses = resolver(host, port, self.deadline.left(self.policy.connect_timeout))
        checked = [self._checked(address) for address in addresses]
        if not checked:
            raise AddressNotAllowed
        last_error: Exception | None = None
        for address in checked:
            try:
                seconds = self.deadline.left(self.policy.connect_timeout)
                stream = self.inner.connect_tcp(address, port, seconds, None, socket_options)
            except httpcore.ConnectTimeout as error:
                self.deadline.check_after(error)
                last_error = error
            except httpcore.ConnectError as error:
                last_error = error
            else:
                return DeadlineStream(stream, self.deadline)
        raise httpcore.ConnectError(str(last_error))

    def _checked(self, text: str) -> str:
        """Return the address when the policy allows it; one refused address refuses the host."""
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not self.policy.may_connect(address, plain_http=self.plain_http):
            raise AddressNotAllowed
        return str(address)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressNotAllowed

    def sleep(self, seconds: float) -> None:
        time.sleep(self.deadline.left(seconds))


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and handshake waits no longer than the deadline.

    A server that sends one byte every second never trips a per-read timeout; capping each
    wait by the time left is what ends such a fetch on time.
    """

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner = inner
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self.inner.read(max_bytes, self.deadline.left(timeout))
        except httpcore.ReadTimeout as error:
            self.deadline.check_after(error)
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        try:
            inner = self.inner.start_tls(ssl_context, server_hostname, self.deadline.left(timeout))
        except httpcore.ConnectTimeout as error:
            self.deadline.check_after(error)
            raise
        return DeadlineStream(inner, self.deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self.inner.get_extra_info(info)
