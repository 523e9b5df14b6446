"""Who is asking: the client's address, believing forwarded headers only from our own proxies.

Anyone can send `X-Forwarded-For`. Only the proxies listed in `TRUSTED_PROXIES` (addresses or
networks) are believed: each appends the address it received the request from, so the header is
read from the right, hop by hop, for as long as the hop is one of our proxies; the first address
that is not ours is the client. Whatever the client wrote to the left of that is ignored. A
request from a peer that is not a trusted proxy is that peer's, whatever its headers say.

Every address the service acts on (rate limits, sign-in lock-out through django-axes'
`AXES_CLIENT_IP_CALLABLE`) comes from `client_address`. gunicorn believes `X-Forwarded-Proto`
from the same list (`diversion serve`), so a client cannot claim HTTPS either.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in configured)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _parse(value: str) -> Address | None:
    """An address as proxies write it: bare, `[v6]:port` or `v4:port`; None if it is not one."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in trusted_networks())


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`; "" when the socket has none (a UNIX
    socket, a test without one)."""
    peer = _parse(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return ""
    if not is_trusted_proxy(peer):
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed(forwarded.split(",") if forwarded.strip() else []):
        address = _parse(hop)
        if address is None:
            # Our proxy passed on something that is not an address: believe nothing left of it.
            break
        peer = address
        if not is_trusted_proxy(address):
            break
    return str(peer)
