"""LibreTranslate through its HTTP API (``/languages``, ``/translate``), with an optional key.

LibreTranslate's ``format=html`` translates the text between tags piece by piece, which cuts
sentences at links, so segments go as plain text (``engines.plain``): the whole sentence in one
piece, each tag's content alongside it in the same request, and the markup projected back.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import httpx

from babelwire.exceptions import EngineFailed, EngineUnavailable, UnsupportedPair
from babelwire.translate.engines import plain
from babelwire.translate.engines.base import Answer, Job
from babelwire.translate.engines.config import HttpOptions
from babelwire.translate.engines.http import EngineClient

HINT = ("set libretranslate_url (e.g. http://127.0.0.1:5000) and, if the server wants one, "
        "libretranslate_api_key")


class LibreTranslateEngine:
    """A LibreTranslate server behind the ``Translator`` interface."""

    name = "libretranslate"
    max_segments = 64

    def __init__(self, *, url: str, api_key: str = "", options: HttpOptions | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not url:
            raise EngineUnavailable("no LibreTranslate server configured", hint=HINT,
                                    subject=self.name)
        self.url = url
        self.api_key = api_key
        self.client = EngineClient(self.name, url, options or HttpOptions(), hint=HINT,
                                   transport=transport)
        self._pairs: frozenset[tuple[str, str]] | None = None
        self._lock = threading.Lock()

    def pairs(self) -> frozenset[tuple[str, str]]:
        """The pairs the server lists under ``/languages`` (asked once)."""
        with self._lock:
            if self._pairs is None:
                body = self.client.request("GET", "/languages")
                if not isinstance(body, list):
                    raise EngineFailed("libretranslate: unexpected /languages answer",
                                       subject=self.name)
                self._pairs = frozenset((str(lang["code"]), str(target)) for lang in body
                                        for target in lang.get("targets", [])
                                        if target != lang["code"])
            return self._pairs

    def supports(self, src: str, tgt: str) -> bool:
        """Whether the server lists the pair."""
        return (src, tgt) in self.pairs()

    def model_for(self, src: str, tgt: str) -> str:
        """The server (its models are its own business)."""
        return self.url

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> list[str]:
        """Translate segments (see ``run``)."""
        return self.run(Job(tuple(segments), src, tgt)).texts

    def run(self, job: Job) -> Answer:
        """Translate each sentence whole, with its tags' contents in the same request."""
        if not self.supports(job.src, job.tgt):
            raise UnsupportedPair(f"LibreTranslate has no {job.src}->{job.tgt}",
                                  subject=self.name)
        plains = [plain.encode(s) for s in job.segments]
        queries = [plain.requests(p) for p in plains]
        flat = [q for group in queries for q in group]
        payload: dict[str, object] = {"q": flat, "source": job.src, "target": job.tgt,
                                      "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        body = self.client.request("POST", "/translate", json=payload)
        answers = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(answers, list) or len(answers) != len(flat):
            raise EngineFailed("libretranslate answered a different number of texts",
                               subject=self.name)
        out, at = [], 0
        for p, group in zip(plains, queries, strict=True):
            out.append(plain.decode(p, [str(a) for a in answers[at:at + len(group)]])
                       if p.text else "")
            at += len(group)
        return Answer(out)

    def close(self) -> None:
        """Close the connections."""
        self.client.close()
