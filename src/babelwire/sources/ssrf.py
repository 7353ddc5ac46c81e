"""SSRF guard: babelwire never connects to loopback, private, link-local, multicast, reserved or
cloud-metadata addresses unless the user allowed that host by name.

The check runs on the address actually connected to. ``VettingBackend`` is an httpcore network
backend: httpcore hands it the host name of every new connection, it resolves the name once,
refuses the connection if *any* answer is forbidden, and connects to the vetted IP itself, so a DNS
answer that changes between check and connect (rebinding) cannot slip through. TLS still verifies
the certificate against the host name, because httpcore passes the name to ``start_tls``
separately. httpx 0.28 has no public hook for a network backend, so ``GuardedTransport`` wraps an
``httpcore.ConnectionPool`` in httpx's one-method transport interface.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

import httpcore
import httpx

from babelwire.exceptions import BlockedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_EXTRA_BLOCKED = tuple(ipaddress.ip_network(net) for net in (
    "100.64.0.0/10",     # carrier-grade NAT; Alibaba Cloud metadata is 100.100.100.200
    "192.0.0.0/24",      # IETF protocol assignments; Oracle Cloud metadata is 192.0.0.192
    "168.63.129.16/32",  # Azure platform endpoint (wireserver), public-looking but internal
    "fec0::/10",         # deprecated IPv6 site-local
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_MAX_ADDRESSES_TRIED = 3


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be reached, or None if it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
        if embedded is not None:
            return blocked_reason(embedded)
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local (cloud metadata)"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (any(ip in net for net in _EXTRA_BLOCKED), "cloud-internal or carrier-grade NAT"),
        (ip.is_private, "private"),
        (ip.is_reserved or not ip.is_global, "reserved"),
    )
    return next((reason for hit, reason in checks if hit), None)


@dataclass(frozen=True)
class AddressGuard:
    """The allow-list from settings (``host`` or ``host:port``) and the checks that use it."""

    allowed: frozenset[tuple[str, int | None]]

    @classmethod
    def from_settings(cls, allowed_hosts: Iterable[str]) -> AddressGuard:
        """Build from ``Settings.allowed_hosts`` entries such as ``127.0.0.1:8765`` or ``[::1]``."""
        return cls(frozenset(_allow_entry(entry) for entry in allowed_hosts if entry.strip()))

    def is_allowed(self, host: str, port: int | None) -> bool:
        """True if the user allowed this host (on any port, or on this one)."""
        name = _norm_host(host)
        return (name, None) in self.allowed or (name, port) in self.allowed

    def check_literal(self, host: str, port: int | None, *, subject: str) -> None:
        """Refuse early a URL whose host is a forbidden IP literal (before any connection)."""
        try:
            ip = ipaddress.ip_address(_norm_host(host))
        except ValueError:
            return
        reason = blocked_reason(ip)
        if reason and not self.is_allowed(host, port):
            raise BlockedAddress(f"refused to connect to {ip} ({reason} address)", subject=subject)

    def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` once; every answer must be allowed. Returns the IPs to connect to."""
        try:
            answers = socket.getaddrinfo(_norm_host(host), port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in answers))
        if self.is_allowed(host, port):
            return addresses
        for address in addresses:
            reason = blocked_reason(ipaddress.ip_address(address))
            if reason:
                raise BlockedAddress(f"{host} resolves to {address}, a {reason} address; refused",
                                     subject=host)
        return addresses


class VettingBackend(httpcore.SyncBackend):
    """httpcore network backend that connects only to addresses the guard accepted."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        """Resolve and vet ``host``, then connect to the first vetted address that answers."""
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in self._guard.resolve(host, port)[:_MAX_ADDRESSES_TRIED]:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure


class GuardedTransport(httpx.BaseTransport):
    """httpx transport over an httpcore pool whose every connection passes the address guard."""

    def __init__(self, guard: AddressGuard, *, max_connections: int = 20) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            keepalive_expiry=5.0,
            network_backend=VettingBackend(guard),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the guarded pool (same mapping as httpx.HTTPTransport)."""
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = self._pool.handle_request(core_request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Stream(cast(Iterable[bytes], response.stream)),
                              extensions=response.extensions)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()


class _Stream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        """Release the underlying httpcore stream (returns the connection to the pool)."""
        closer = getattr(self._stream, "close", None)
        if closer is not None:
            closer()


# httpcore's errors and the httpx errors they become, most specific first (httpx maps them the
# same way in its own transport).
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = tuple(
    (getattr(httpcore, name), getattr(httpx, name)) for name in (
        "ConnectTimeout", "ReadTimeout", "WriteTimeout", "PoolTimeout", "ConnectError",
        "ReadError", "WriteError", "RemoteProtocolError", "LocalProtocolError",
        "UnsupportedProtocol", "TimeoutException", "NetworkError", "ProtocolError"))


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise httpcore's exceptions as httpx's (most specific first); others pass unchanged."""
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise


def _norm_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _allow_entry(entry: str) -> tuple[str, int | None]:
    text = entry.strip().lower()
    if text.startswith("["):  # [v6] or [v6]:port
        host, _, rest = text[1:].partition("]")
        port = rest.lstrip(":")
        return host, int(port) if port.isdigit() else None
    if text.count(":") == 1:
        host, port = text.split(":")
        return _norm_host(host), int(port) if port.isdigit() else None
    return _norm_host(text), None
