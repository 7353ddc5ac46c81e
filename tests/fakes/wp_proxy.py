"""A local proxy in front of the real test WordPress that can break on demand: answer 5xx, stall
past the client's timeout, or answer an HTML page where JSON belongs (as a misbehaving plugin
does). ``mode = "pass"`` forwards every request unchanged."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

HTML_PAGE = (b"<!DOCTYPE html><html><body><div class='notice'>Cache plugin: "
             b"maintenance</div></body></html>")


class BreakingProxy:
    """Forwards to ``upstream`` unless ``mode`` says to fail ("500", "slow", "html", or "lose":
    forward the request, then drop the connection without the answer); with
    ``only``, just the requests whose path contains it fail (a plugin breaking the posts)."""

    def __init__(self, upstream: str, stall: float = 3.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.mode = "pass"
        self.only = ""
        self.stall = stall
        self.requests: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.client = httpx.Client(timeout=60)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                proxy.requests.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.answer(self, body)

            def do_GET(self) -> None:
                self._any()

            def do_POST(self) -> None:
                self._any()

            def do_DELETE(self) -> None:
                self._any()

            def log_message(self, *args: Any) -> None:
                pass

        self.closing = False
        self.httpd = _Server(("127.0.0.1", 0), Handler, lambda: self.closing)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        """The proxy's address (a target's URL)."""
        return f"http://127.0.0.1:{self.port}"

    def answer(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        """Answer one request as the mode says."""
        mode = self.mode if self.only in handler.path else "pass"
        if mode == "500":
            return _send(handler, 500, b"<html><body>Internal Server Error</body></html>",
                         "text/html")
        if mode == "html":
            return _send(handler, 200, HTML_PAGE, "text/html; charset=UTF-8")
        if mode == "slow":
            self.release.wait(self.stall)
        if mode == "lose" and handler.command == "POST":
            self._forward(handler, body)
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return None
        reply = self._forward(handler, body)
        # WordPress writes its own address in its answers: fine, the client only reads ids
        _send(handler, reply.status_code, reply.content,
              reply.headers.get("content-type", "application/octet-stream"))
        return None

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> httpx.Response:
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() not in ("host", "content-length", "connection")}
        return self.client.request(handler.command, self.upstream + handler.path,
                                   content=body, headers=headers)

    def requests_since(self, start: int) -> list[tuple[str, str]]:
        """Requests received after the ``start``-th."""
        return self.requests[start:]

    def close(self) -> None:
        """Stop serving."""
        self.closing = True
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.client.close()


class _Server(ThreadingHTTPServer):
    """Quiet about a request cut short by ``close`` (its forward loses the client under it);
    any other handler error is printed as usual."""

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 closing: Callable[[], bool]) -> None:
        super().__init__(address, handler)
        self.closing = closing

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not self.closing():
            super().handle_error(request, client_address)


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
