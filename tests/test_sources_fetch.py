"""Fetcher against a real HTTP server on 127.0.0.1: politeness, limits and the SSRF guard."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import ssl
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest

from babelwire.exceptions import (
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    ResponseTooLarge,
    RobotsDisallowed,
)
from babelwire.settings import Settings
from babelwire.sources.feeds import parse_feed
from babelwire.sources.fetch import Fetcher
from babelwire.sources.ssrf import blocked_reason
from tests.helpers.http import LocalServer, reply

DATA = Path(__file__).parent / "data" / "sources"
FEEDS = DATA / "feeds"
GOLEM = gzip.decompress((FEEDS / "real/rss2/de/golem-2018-iso-8859-1.xml.gz").read_bytes())

class FakeClock:
    """A clock that only moves when someone sleeps; records the sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def fetch(settings: Settings, url: str, **kwargs: Any) -> Any:
    with Fetcher(settings) as fetcher:
        return fetcher.get(url, **kwargs)


# -- downloading -------------------------------------------------------------------------------

def test_download_sends_user_agent_and_returns_the_feed(local: Settings,
                                                        server: LocalServer) -> None:
    server.routes["/feed.xml"] = reply(200, GOLEM, Content_Type="text/xml; charset=ISO-8859-1")
    result = fetch(local, server.url("/feed.xml"), accept="application/rss+xml")
    assert result.status == 200 and result.content == GOLEM
    assert result.encoding == "ISO-8859-1" and result.final_url == server.url("/feed.xml")
    headers = dict(server.requests[-1][1])
    assert headers["User-Agent"] == local.user_agent
    assert headers["Accept"] == "application/rss+xml" and "gzip" in headers["Accept-Encoding"]
    feed = parse_feed(result.content, result.final_url, content_type=result.content_type)
    assert len(feed.items) == 40 and feed.items[0].title.startswith("Red Dead Redemption 2")


@pytest.mark.parametrize("coding, compress", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, no zlib header
])
def test_compressed_bodies_are_decoded(local: Settings, server: LocalServer, coding: str,
                                       compress: Callable[[bytes], bytes]) -> None:
    server.routes["/feed.xml"] = reply(200, compress(GOLEM), Content_Encoding=coding)
    assert fetch(local, server.url("/feed.xml")).content == GOLEM


def test_conditional_get_gives_not_modified(local: Settings, server: LocalServer) -> None:
    stamp = "Sun, 28 Oct 2018 12:48:00 GMT"

    def route(handler: BaseHTTPRequestHandler) -> None:
        unchanged = handler.headers.get("If-None-Match") == '"v1"'
        reply(304 if unchanged else 200, b"" if unchanged else GOLEM, ETag='"v1"',
              Last_Modified=stamp)(handler)

    server.routes["/feed.xml"] = route
    first = fetch(local, server.url("/feed.xml"))
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', stamp)
    again = fetch(local, server.url("/feed.xml"), etag=first.etag,
                  last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.content == b""
    assert again.etag == '"v1"' and again.last_modified == stamp
    sent = server.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == stamp


def test_http_errors_say_whether_to_retry(local: Settings, server: LocalServer) -> None:
    server.routes["/gone"] = reply(404)
    server.routes["/busy"] = reply(503)
    server.routes["/slow-down"] = reply(429)
    server.routes["/nowhere"] = reply(302)  # a redirect that says nowhere
    with Fetcher(local) as fetcher:
        with pytest.raises(HTTPStatusError) as gone:
            fetcher.get(server.url("/gone"))
        assert gone.value.status == 404 and not gone.value.retryable
        assert gone.value.subject == server.url("/gone")
        for path in ("/busy", "/slow-down"):
            with pytest.raises(HTTPStatusError) as busy:
                fetcher.get(server.url(path))
            assert busy.value.retryable
        with pytest.raises(HTTPStatusError) as nowhere:
            fetcher.get(server.url("/nowhere"))
        assert nowhere.value.status == 302
        with pytest.raises(FetchError, match="could not be built"):
            fetcher.get(server.url("/gone"), etag='"caf\u00e9\u20ac"')


def test_redirects_are_followed_within_the_allowed_server(local: Settings,
                                                          server: LocalServer) -> None:
    server.routes["/old"] = reply(301, Location="/middle")
    server.routes["/middle"] = reply(302, Location=server.url("/feed.xml"))
    server.routes["/feed.xml"] = reply(200, GOLEM)
    result = fetch(local, server.url("/old"))
    assert result.url == server.url("/old") and result.final_url == server.url("/feed.xml")
    assert result.content == GOLEM


def test_redirect_loop_is_cut(local: Settings, server: LocalServer) -> None:
    server.routes["/loop"] = reply(302, Location="/loop")
    with pytest.raises(FetchError, match="redirects"):
        fetch(local, server.url("/loop"))
    assert server.paths().count("/loop") == 6  # the first request and 5 redirects


def test_broken_connection_is_a_retryable_fetch_error(local: Settings,
                                                      server: LocalServer) -> None:
    def cut(handler: BaseHTTPRequestHandler) -> None:
        reply(200, b"only part", Content_Length="1000")(handler)
        handler.close_connection = True

    server.routes["/cut"] = cut
    with pytest.raises(FetchError) as excinfo:
        fetch(local, server.url("/cut"))
    assert not isinstance(excinfo.value, FetchTimeout) and excinfo.value.retryable
    assert excinfo.value.subject == server.url("/cut")


def test_an_injected_transport_is_used(settings: Settings) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=GOLEM, headers={"Content-Type": "application/rss+xml"})

    with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        result = fetcher.get("https://news.example/feed.xml")
    assert result.content == GOLEM and result.content_type == "application/rss+xml"


# -- time and size limits ---------------------------------------------------------------------

def test_stalled_server_times_out(local: Settings, server: LocalServer) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        server.release.wait(10)

    server.routes["/stall"] = stall
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as excinfo:
        fetch(local.replace(read_timeout=0.3), server.url("/stall"))
    assert excinfo.value.retryable and time.monotonic() - started < 3


def test_trickling_server_hits_the_total_deadline(local: Settings, server: LocalServer) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(100):
            if server.release.wait(0.05):
                return
            handler.wfile.write(b"x" * 10)
            handler.wfile.flush()

    server.routes["/trickle"] = trickle
    started = time.monotonic()
    with Fetcher(local, total_timeout=0.5) as fetcher, pytest.raises(FetchTimeout):
        fetcher.get(server.url("/trickle"))
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_body_is_refused(local: Settings, server: LocalServer, chunked: bool) -> None:
    body = b"<rss>" + b"x" * 300_000 + b"</rss>"
    if chunked:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            for start in range(0, len(body), 8192):
                part = body[start:start + 8192]
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            handler.wfile.write(b"0\r\n\r\n")
        server.routes["/big"] = route
    else:
        server.routes["/big"] = reply(200, body)
    with pytest.raises(ResponseTooLarge):
        fetch(local.replace(max_response_bytes=100_000), server.url("/big"))


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """64 MB of zeros, gzip-compressed to about 64 KB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(64)) + packer.flush()


def test_gzip_bomb_is_refused_without_inflating_it(local: Settings, server: LocalServer,
                                                   gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 1_000_000
    server.routes["/bomb"] = reply(200, gzip_bomb, Content_Encoding="gzip")
    cap = 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLarge):
            fetch(local.replace(max_response_bytes=cap), server.url("/bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * cap, f"peak memory {peak} bytes"


# -- robots.txt and per-host delay ------------------------------------------------------------

ROBOTS = b"""User-agent: babelwire
Disallow: /private

User-agent: *
Disallow: /
"""


def test_robots_txt_is_obeyed_and_fetched_once(local: Settings, server: LocalServer) -> None:
    server.routes["/robots.txt"] = reply(200, ROBOTS, Content_Type="text/plain")
    server.routes["/news"] = reply(200, b"ok")
    with Fetcher(local) as fetcher:
        with pytest.raises(RobotsDisallowed) as excinfo:
            fetcher.get(server.url("/private/page"))
        assert not excinfo.value.retryable
        assert fetcher.get(server.url("/news")).content == b"ok"
        assert fetcher.get(server.url("/news")).content == b"ok"
    assert server.paths() == ["/robots.txt", "/news", "/news"]


def test_robots_txt_is_ignored_when_settings_say_so(local: Settings,
                                                    server: LocalServer) -> None:
    server.routes["/robots.txt"] = reply(200, b"User-agent: *\nDisallow: /\n")
    server.routes["/news"] = reply(200, b"ok")
    assert fetch(local.replace(respect_robots=False), server.url("/news")).content == b"ok"
    assert server.paths() == ["/news"]


@pytest.mark.parametrize("robots, allowed, refused", [
    (b"User-agent: *\nAllow: /\nDisallow: /news/private\n", "/news/today", "/news/private/x"),
    (b"User-agent: *\nDisallow: /\nAllow: /feed\n", "/feed.xml", "/other"),
])
def test_robots_longest_rule_wins(local: Settings, server: LocalServer, robots: bytes,
                                  allowed: str, refused: str) -> None:
    server.routes["/robots.txt"] = reply(200, robots)
    server.routes[allowed] = reply(200, b"ok")
    with Fetcher(local) as fetcher:
        assert fetcher.get(server.url(allowed)).content == b"ok"
        with pytest.raises(RobotsDisallowed):
            fetcher.get(server.url(refused))


def test_robots_server_error_disallows_for_now(local: Settings, server: LocalServer) -> None:
    server.routes["/robots.txt"] = reply(503)
    server.routes["/news"] = reply(200, b"ok")
    with Fetcher(local) as fetcher:
        with pytest.raises(RobotsDisallowed) as excinfo:
            fetcher.get(server.url("/news"))
        assert excinfo.value.retryable and "503" in str(excinfo.value)
        assert server.paths() == ["/robots.txt"]
        server.routes["/robots.txt"] = reply(404)  # the failure was not cached
        assert fetcher.get(server.url("/news")).content == b"ok"


def test_robots_timeout_disallows_for_now(local: Settings, server: LocalServer) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        server.release.wait(10)

    server.routes["/robots.txt"] = stall
    with pytest.raises(RobotsDisallowed) as excinfo:
        fetch(local.replace(read_timeout=0.3), server.url("/news"))
    assert excinfo.value.retryable


def test_crawl_delay_raises_the_per_host_delay(local: Settings, server: LocalServer) -> None:
    server.routes["/robots.txt"] = reply(200, b"User-agent: *\nCrawl-delay: 7\n")
    server.routes["/a"] = server.routes["/b"] = reply(200, b"ok")
    clock = FakeClock()
    with Fetcher(local.replace(per_host_delay=1.0), clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.get(server.url("/a"))
        fetcher.get(server.url("/b"))
    assert clock.sleeps == [7.0, 7.0]


def test_per_host_delay_spaces_requests(local: Settings, server: LocalServer) -> None:
    server.routes["/a"] = server.routes["/b"] = reply(200, b"ok")
    clock = FakeClock()
    with Fetcher(local.replace(per_host_delay=2.5), clock=clock, sleep=clock.sleep) as fetcher:
        for path in ("/a", "/b", "/a"):
            fetcher.get(server.url(path))
    assert server.paths() == ["/robots.txt", "/a", "/b", "/a"]
    assert clock.sleeps == [2.5, 2.5, 2.5]


def test_per_host_delay_holds_across_threads(local: Settings, server: LocalServer) -> None:
    """Three threads asking one host at once: one goes, the others wait a full delay each."""
    server.routes["/a"] = reply(200, b"ok")
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    polite = local.replace(per_host_delay=0.5, respect_robots=False)
    started = time.monotonic()
    with Fetcher(polite, sleep=sleep) as fetcher:
        threads = [threading.Thread(target=fetcher.get, args=(server.url("/a"),))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    # Unserialised threads would all wait for the first one and finish after one delay.
    assert time.monotonic() - started >= 0.95
    assert server.paths() == ["/a", "/a", "/a"] and len(sleeps) == 2, sleeps


# -- SSRF guard --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://10.1.2.3/feed", "http://192.168.0.1/", "http://172.16.5.4/", "http://100.64.1.1/",
    "http://169.254.169.254/latest/meta-data/", "http://100.100.100.200/latest/meta-data/",
    "http://192.0.0.192/opc/v2/instance/", "http://[fd00:ec2::254]/latest/meta-data/",
    "http://0.0.0.0/", "http://[::]/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://224.0.0.1/", "http://[fe80::1]/", "http://240.0.0.1/",
])
def test_forbidden_addresses_are_refused(settings: Settings, url: str) -> None:
    with pytest.raises(BlockedAddress) as excinfo:
        fetch(settings, url)
    assert excinfo.value.subject == url and not excinfo.value.retryable


def test_loopback_is_refused_unless_allowed(settings: Settings, server: LocalServer) -> None:
    server.routes["/news"] = reply(200, b"ok")
    with pytest.raises(BlockedAddress):
        fetch(settings, server.url("/news"))
    assert server.requests == []
    assert fetch(settings.replace(allowed_hosts=("127.0.0.1",)), server.url("/news")).status == 200


@pytest.mark.parametrize("host", ["localhost", "2130706433", "0x7f000001", "127.1"])
def test_names_resolving_to_loopback_are_refused(local: Settings, server: LocalServer,
                                                 host: str) -> None:
    """Only the allowed name passes; other spellings of the same address do not."""
    server.routes["/news"] = reply(200, b"ok")
    with pytest.raises(BlockedAddress, match=r"127\.0\.0\.1"):
        fetch(local, server.url("/news", host=host))
    assert server.requests == []


@pytest.mark.parametrize("location", [
    "http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
    "http://localhost:{port}/news", "http://[::1]:{port}/news", "file:///etc/passwd",
    "gopher://127.0.0.1:{port}/_x",
])
def test_redirects_to_forbidden_places_are_refused(local: Settings, server: LocalServer,
                                                   location: str) -> None:
    server.routes["/go"] = reply(302, Location=location.format(port=server.port))
    server.routes["/news"] = reply(200, b"ok")
    with pytest.raises(BlockedAddress) as excinfo:
        fetch(local, server.url("/go"))
    assert excinfo.value.subject == server.url("/go")
    assert "/news" not in server.paths()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/feed.xml", "javascript:alert(1)",
    "data:text/xml,<rss/>", "gopher://example.org/", "http://user:secret@example.org/feed",
])
def test_non_http_urls_and_credentials_are_refused(settings: Settings, url: str) -> None:
    with pytest.raises(BlockedAddress):
        fetch(settings, url)


def test_allowed_name_keeps_its_host_header(settings: Settings, server: LocalServer) -> None:
    """We connect to the vetted IP, but the request still names the host it asked for."""
    server.routes["/news"] = reply(200, b"ok")
    allowed = settings.replace(allowed_hosts=("localhost",), connect_timeout=2.0)
    assert fetch(allowed, server.url("/news", host="localhost")).content == b"ok"
    assert server.requests[-1][1]["Host"] == f"localhost:{server.port}"


@pytest.fixture
def tls_server() -> Iterator[tuple[int, list[str | None]]]:
    """A TLS server with a self-signed certificate for "localhost"; records the SNI it gets."""
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(DATA / "localhost-cert.pem", DATA / "localhost-key.pem")
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], names
    stop.set()
    thread.join(5)
    listener.close()


def test_tls_verifies_the_host_name_not_the_ip(settings: Settings,
                                               tls_server: tuple[int, list[str | None]]) -> None:
    port, names = tls_server
    allowed = settings.replace(allowed_hosts=("localhost",), respect_robots=False,
                               connect_timeout=2.0, read_timeout=2.0)
    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(allowed, f"https://localhost:{port}/feed")
    assert names and set(names) == {"localhost"}


def fake_dns(answers: list[list[str]], calls: list[str]) -> Callable[..., Any]:
    """A getaddrinfo giving the next answer list on each call (the last one repeats)."""
    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        calls.append(host)
        ips = answers[min(len(calls), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ips]
    return getaddrinfo


def test_connection_goes_to_the_vetted_address(settings: Settings,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebinding DNS answers public first, loopback after: we never ask twice."""
    calls: list[str] = []
    connected: list[str] = []

    def connect_tcp(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        connected.append(host)
        raise httpcore.ConnectError("no network in tests")

    # the guard looks up socket.getaddrinfo on each call, so patching the module reaches it
    monkeypatch.setattr(socket, "getaddrinfo",
                        fake_dns([["93.184.216.34"], ["127.0.0.1"]], calls))
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    with pytest.raises(FetchError) as excinfo:
        fetch(settings.replace(respect_robots=False), "http://rebind.example/feed")
    assert not isinstance(excinfo.value, BlockedAddress) and excinfo.value.retryable
    assert calls == ["rebind.example"] and connected == ["93.184.216.34"]


def test_any_forbidden_answer_refuses_the_host(settings: Settings,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(socket, "getaddrinfo",
                        fake_dns([["93.184.216.34", "10.0.0.7"]], calls))
    with pytest.raises(BlockedAddress, match=r"10\.0\.0\.7"):
        fetch(settings.replace(respect_robots=False), "https://mixed.example/feed")


@pytest.mark.parametrize("address", [
    "8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808",
])
def test_public_addresses_pass_the_guard(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.0.0.1", "169.254.169.254", "100.100.100.200", "192.0.0.192",
    "168.63.129.16", "fd00:ec2::254", "::1", "fe80::1", "ff02::1", "fec0::1",
    "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1", "255.255.255.255",
])
def test_internal_addresses_are_caught_by_the_guard(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is not None
