"""Which IP addresses an outbound fetch may connect to: public ones, unless the operator says more.

A link, a did:web or a status list URL comes from whoever made the credential, so connecting
wherever it points would let anyone reach this server's own network (its loopback services,
the cloud metadata address, the intranet). Every address an outbound read would connect to is
checked here first; IPv6 forms that carry an IPv4 address (mapped, compatible, 6to4, NAT64)
are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_WELL_KNOWN_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64 = (_WELL_KNOWN_NAT64, ipaddress.ip_network("64:ff9b:1::/48"))


def is_public(address: IPAddress) -> bool:
    """Return True when `address` (and any IPv4 address inside it) is globally reachable unicast.

    Loopback, private, link-local (169.254.169.254, the cloud metadata service), shared
    (100.64/10), multicast, unspecified, reserved and documentation addresses are not.
    """
    parts = _with_embedded(address)
    if address in _WELL_KNOWN_NAT64:  # the prefix is a translator's: the IPv4 address decides
        parts = parts[1:]
    return all(_is_public_unicast(part) for part in parts)


def admitted(address: IPAddress, *, allow_private: bool, networks: Iterable[IPNetwork]) -> bool:
    """Return True when the operator's setting lets a fetch reach a non-public `address`."""
    if allow_private:
        return True
    return any(part in network for part in _with_embedded(address) for network in networks)


def _is_public_unicast(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _with_embedded(address: IPAddress) -> list[IPAddress]:
    """Return `address` and the IPv4 address an IPv6 transition form carries, if any."""
    found: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv4Address):
        return found
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    elif address.sixtofour is not None:
        found.append(address.sixtofour)
    elif _carries_last_32_bits(address):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.teredo is not None:
        found.extend(address.teredo)
    return found


def _carries_last_32_bits(address: ipaddress.IPv6Address) -> bool:
    """Return True for IPv4-compatible ``::a.b.c.d`` (not ``::`` or ``::1``) and NAT64 forms."""
    compatible = int(address) >> 32 == 0 and int(address) > 1
    return compatible or any(address in prefix for prefix in _NAT64)
