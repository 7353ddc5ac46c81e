"""Local servers speaking the LibreTranslate, OpenAI chat and DeepL APIs, translating with Apertium.

For tests, benchmarks and trying a configuration offline: each implements the documented request
and response shapes its engine uses (keys, usage figures, errors) and really translates, through
Apertium (pivots included), keeping inline markup; so a test can assert real output. ``Faults``
make a server misbehave while it runs: answer 429 with ``Retry-After``, 5xx, hang past a timeout,
fail after N requests (an engine dying mid-article), drop placeholders from its answers, stall
(take the request and never answer, for as long as the server runs) or trickle (send the headers,
then a blank every so often, never the end).

They run ``http.server`` on 127.0.0.1 in a thread: no dependency beyond the standard library.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from babelwire.translate import markup

Backend = Callable[[list[str], str, str], list[str]]
Reply = tuple[int, Any, dict[str, str]]
STALL_LIMIT = 600.0                  # a stalled request is let go after this long at most
TRICKLE = object()                   # a reply whose body never ends


@dataclass
class Faults:
    """How a server misbehaves; tests change these while it runs."""

    down: bool = False               # every request: 503
    fail_after: int | None = None    # translate requests served before the rest fail
    fail_status: int = 500
    throttle: int = 0                # the next N translate requests: 429 with Retry-After
    retry_after: str = "0"
    delay: float = 0.0               # seconds before answering a translate request
    drop_markup: int = 0             # the next N answers lose their inline markup
    garbage: int = 0                 # the next N answers are prose, not what was asked
    stall: bool = False              # translate requests: never answered while the server runs
    trickle: float = 0.0             # translate requests: headers, then a blank every N seconds


@dataclass
class Traffic:
    """What a server received."""

    requests: int = 0
    translate_requests: int = 0
    segments: int = 0
    characters: int = 0
    texts: list[str] = field(default_factory=list)


class LocalServer:
    """Base of the three servers: a thread serving ``handle`` on 127.0.0.1:PORT."""

    def __init__(self, backend: Backend, *, api_key: str = "") -> None:
        self.backend = backend
        self.api_key = api_key
        self.faults = Faults()
        self.traffic = Traffic()
        self._lock = threading.Lock()
        self.released = threading.Event()     # set when the server stops: stalls end
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True,
                                        name=type(self).__name__)

    @property
    def url(self) -> str:
        """The server's base URL."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalServer:
        """Start serving in a thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (stalled and trickling requests end)."""
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        """Answer one request (overridden by each API)."""
        return 404, {"error": "not found"}, {}

    def gate(self, texts: Sequence[str]) -> Reply | None:
        """Apply the faults to a translate request; an error reply, or None to go on."""
        with self._lock:
            self.traffic.translate_requests += 1
            served = self.traffic.translate_requests
            if self.faults.throttle > 0:
                self.faults.throttle -= 1
                return 429, {"error": "Too many requests"}, {
                    "Retry-After": self.faults.retry_after}
            failing = self.faults.fail_after is not None and served > self.faults.fail_after
            if failing:
                return self.faults.fail_status, {"error": "internal error"}, {}
            self.traffic.segments += len(texts)
            self.traffic.characters += sum(len(t) for t in texts)
            self.traffic.texts.extend(texts)
            delay, stall, trickle = self.faults.delay, self.faults.stall, self.faults.trickle
        if stall:
            self.released.wait(STALL_LIMIT)
            return 503, {"error": "stalled"}, {}
        if trickle:
            return 200, TRICKLE, {"X-Trickle": str(trickle)}
        if delay:
            time.sleep(delay)
        return None

    def take(self, fault: str) -> bool:
        """Consume one occurrence of a counted fault (``drop_markup``, ``garbage``)."""
        with self._lock:
            left = getattr(self.faults, fault)
            if left > 0:
                setattr(self.faults, fault, left - 1)
                return True
            return False


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with server._lock:
                server.traffic.requests += 1
            reply: Reply
            if server.faults.down:
                reply = 503, {"error": "service unavailable"}, {}
            else:
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server.handle(method, self.path, headers, body)
            status, data, extra = reply
            if data is TRICKLE:
                self._trickle(float(extra["X-Trickle"]))
                return
            payload = json.dumps(data, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            with contextlib.suppress(OSError):      # the client gave up (a stalled request)
                self.wfile.write(payload)

        def _trickle(self, every: float) -> None:
            """Headers promising a large body, then one blank every ``every`` seconds."""
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            deadline = time.monotonic() + STALL_LIMIT
            try:
                while not server.released.wait(every) and time.monotonic() < deadline:
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:
                pass                                 # the client gave up
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass                                     # keep test output clean

    return Handler


def apertium_backend(modes_dir: str = "/usr/share/apertium/modes") -> tuple[Backend, Any]:
    """A backend translating neutral markup with Apertium (pivots included) and its router,
    which the caller closes."""
    from babelwire.settings import Settings
    from babelwire.translate.engines.apertium.engine import ApertiumEngine
    from babelwire.translate.router import Router

    router = Router([ApertiumEngine(Settings(apertium_modes_dir=modes_dir))])

    def backend(segments: list[str], src: str, tgt: str) -> list[str]:
        return router.translate(segments, src, tgt).texts

    # Warm: pipelines started and dictionaries loaded (a word no dictionary knows makes the
    # router load them), so that a server's first answer takes no longer than the others and
    # a client's short timeout measures the server's faults, not its start.
    backend(["The house of Zyxwvut is red."], "en", "es")
    return backend, router


def _json_body(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    if "json" in headers.get("content-type", ""):
        data = json.loads(body or b"{}")
        return data if isinstance(data, dict) else {}
    form = parse_qs(body.decode("utf-8"))
    return {k: (v if k in ("text", "q", "ignore_tags") else v[0]) for k, v in form.items()}


def _unmark(text: str) -> str:
    nodes = markup.parse(text)
    markup.strip_unknown(nodes)
    return markup.plain_text(nodes)


def _drop_markup(text: str) -> str:
    return re.sub(r"</?[gkx][^>]*>", "", text)


# -- LibreTranslate -----------------------------------------------------------------------------


class LibreTranslateServer(LocalServer):
    """LibreTranslate's ``/languages`` and ``/translate`` (``q`` a string or a list; text)."""

    def __init__(self, backend: Backend, pairs: Sequence[tuple[str, str]], *,
                 api_key: str = "") -> None:
        super().__init__(backend, api_key=api_key)
        self.pairs = list(pairs)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        route = urlsplit(path).path
        if route == "/languages" and method == "GET":
            codes = sorted({p[0] for p in self.pairs} | {p[1] for p in self.pairs})
            return 200, [{"code": c, "name": c, "targets": sorted(
                t for s, t in self.pairs if s == c)} for c in codes], {}
        if route == "/frontend/settings":
            return 200, {"keyRequired": bool(self.api_key), "charLimit": -1}, {}
        if route == "/translate" and method == "POST":
            return self._translate(_json_body(headers, body))
        return 404, {"error": "Not Found"}, {}

    def _translate(self, data: dict[str, Any]) -> Reply:
        if self.api_key and data.get("api_key") != self.api_key:
            return 403, {"error": "Invalid API key"}, {}
        q, src, tgt = data.get("q"), data.get("source"), data.get("target")
        if q is None or not src or not tgt:
            return 400, {"error": "Invalid request: missing q, source or target"}, {}
        if (src, tgt) not in self.pairs:
            return 400, {"error": f"{src} -> {tgt} is not supported"}, {}
        if data.get("format", "text") != "text":
            return 400, {"error": "this local server translates format=text only"}, {}
        texts = [str(t) for t in q] if isinstance(q, list) else [str(q)]
        refused = self.gate(texts)
        if refused:
            return refused
        out = [_unmark(t) for t in self.backend([markup.escape(t) for t in texts], src, tgt)]
        return 200, {"translatedText": out if isinstance(q, list) else out[0]}, {}


# -- OpenAI-compatible chat ---------------------------------------------------------------------


class OpenAIServer(LocalServer):
    """``/v1/chat/completions`` answering babelwire's JSON translation prompt, with usage."""

    def __init__(self, backend: Backend, *, model: str = "local-mt", api_key: str = "") -> None:
        super().__init__(backend, api_key=api_key)
        self.model = model

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        route = urlsplit(path).path
        if self.api_key and headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"message": "Incorrect API key provided",
                                   "type": "invalid_request_error"}}, {}
        if route == "/v1/models":
            return 200, {"object": "list", "data": [{"id": self.model, "object": "model"}]}, {}
        if route == "/v1/chat/completions" and method == "POST":
            return self._chat(json.loads(body or b"{}"))
        return 404, {"error": {"message": "not found"}}, {}

    def _chat(self, data: dict[str, Any]) -> Reply:
        if data.get("model") != self.model:
            return 404, {"error": {"message": f"model {data.get('model')!r} not found"}}, {}
        messages = data.get("messages") or []
        try:
            request = json.loads(messages[-1]["content"])
            segments = [str(s) for s in request["segments"]]
            src, tgt = request["source_language"], request["target_language"]
        except (ValueError, KeyError, IndexError, TypeError):
            return 400, {"error": {"message": "expected babelwire's JSON prompt"}}, {}
        refused = self.gate(segments)
        if refused:
            return refused
        answers = [markup.serialize(_known(t)) for t in self.backend(segments, src, tgt)]
        if self.take("drop_markup"):
            answers = [_drop_markup(a) for a in answers]
        content = json.dumps({"translations": answers}, ensure_ascii=False)
        if self.take("garbage"):
            content = "Sure! Here is the translation you asked for: " + " ".join(answers)
        prompt = sum(len(str(m.get("content", ""))) for m in messages) // 4
        return 200, {
            "id": f"chatcmpl-{self.traffic.requests}", "object": "chat.completion",
            "created": int(time.time()), "model": self.model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": len(content) // 4,
                      "total_tokens": prompt + len(content) // 4}}, {}


def _known(text: str) -> list[markup.Node]:
    """An LLM does not mark unknown words: Apertium's marks are removed."""
    nodes = markup.parse(text)
    markup.strip_unknown(nodes)
    return nodes


# -- DeepL ---------------------------------------------------------------------------------------


class DeepLServer(LocalServer):
    """DeepL v2: ``/v2/translate`` (XML tag handling, ignore tags, glossaries), ``/v2/languages``,
    ``/v2/glossaries``, ``/v2/usage``."""

    def __init__(self, backend: Backend, pairs: Sequence[tuple[str, str]], *,
                 api_key: str = "test-key:fx") -> None:
        super().__init__(backend, api_key=api_key)
        self.pairs = list(pairs)
        self.glossaries: dict[str, dict[str, Any]] = {}
        self.billed = 0

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        if headers.get("authorization") != f"DeepL-Auth-Key {self.api_key}":
            return 403, {"message": "Wrong endpoint or authentication key"}, {}
        parts = urlsplit(path)
        route, query = parts.path, parse_qs(parts.query)
        if route == "/v2/languages":
            kind = query.get("type", ["source"])[0]
            codes = sorted({p[0] if kind == "source" else p[1] for p in self.pairs})
            return 200, [{"language": c.upper(), "name": c} for c in codes], {}
        if route == "/v2/usage":
            return 200, {"character_count": self.billed, "character_limit": 500000}, {}
        if route == "/v2/glossaries":
            return self._glossaries(method, _json_body(headers, body))
        if route == "/v2/translate" and method == "POST":
            return self._translate(_json_body(headers, body))
        return 404, {"message": "Not found"}, {}

    def _glossaries(self, method: str, data: dict[str, Any]) -> Reply:
        if method == "GET":
            return 200, {"glossaries": [
                {k: v for k, v in g.items() if k != "map"} for g in self.glossaries.values()]}, {}
        entries = dict(line.split("\t", 1) for line in str(data.get("entries", "")).splitlines()
                       if "\t" in line)
        ident = f"gl-{len(self.glossaries) + 1}"
        self.glossaries[ident] = {"glossary_id": ident, "name": data.get("name", ""),
                                  "ready": True, "source_lang": data.get("source_lang"),
                                  "target_lang": data.get("target_lang"),
                                  "entry_count": len(entries), "map": entries}
        return 201, {k: v for k, v in self.glossaries[ident].items() if k != "map"}, {}

    def _translate(self, data: dict[str, Any]) -> Reply:
        texts = data.get("text")
        if not isinstance(texts, list) or not data.get("target_lang"):
            return 400, {"message": "Value for 'text' or 'target_lang' not specified"}, {}
        if len(texts) > 50:
            return 413, {"message": "too many texts"}, {}
        src = str(data.get("source_lang", "")).lower()
        tgt = str(data["target_lang"]).split("-")[0].lower()
        if data.get("tag_handling") != "xml":
            texts = [markup.escape(str(t)) for t in texts]
        refused = self.gate([str(t) for t in texts])
        if refused:
            return refused
        glossary = self.glossaries.get(str(data.get("glossary_id", "")), {}).get("map", {})
        marked = [_apply_glossary(str(t), glossary) for t in texts]
        out = [_unglossary(markup.serialize(_known(t))) for t in self.backend(marked, src, tgt)]
        if self.take("drop_markup"):
            out = [_drop_markup(a) for a in out]
        billed = sum(len(str(t)) for t in texts)
        self.billed += billed
        return 200, {"translations": [{"detected_source_language": src.upper(), "text": t,
                                       "billed_characters": len(str(s))}
                                      for t, s in zip(out, texts, strict=True)]}, {}


_GLOSSARY_ID = 900


def _apply_glossary(text: str, glossary: dict[str, str]) -> str:
    """Glossary terms become kept elements holding their translation (DeepL applies them)."""
    for n, (term, translation) in enumerate(sorted(glossary.items())):
        escaped = markup.escape(term)
        text = text.replace(escaped, f'<k id="{_GLOSSARY_ID + n}">'
                                     f"{markup.escape(translation)}</k>")
    return text


def _unglossary(text: str) -> str:
    return re.sub(r'<k id="9\d\d">(.*?)</k>', r"\1", text)
