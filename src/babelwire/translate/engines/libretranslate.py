"""LibreTranslate through its HTTP API (``/languages``, ``/translate``), with an optional key.

LibreTranslate's ``format=html`` translates the text between tags piece by piece, which cuts
sentences at links, so segments go as plain text (``engines.plain``): the whole sentence in one
piece, each tag's content alongside it in the same request, and the markup projected back.
"""

from __future__ import annotations

import threading

import httpx

from babelwire.exceptions import EngineFailed, EngineUnavailable
from babelwire.settings import Settings
from babelwire.translate.engines import plain
from babelwire.translate.engines.base import Answer, Job, chunks, require_pair
from babelwire.translate.engines.http import EngineClient

HINT = ("set libretranslate_url (e.g. http://127.0.0.1:5000) and, if the server wants one, "
        "libretranslate_api_key")


class LibreTranslateEngine:
    """A LibreTranslate server (``libretranslate_url``, ``libretranslate_api_key``)."""

    name = "libretranslate"
    max_segments = 64                  # sentences per request

    def __init__(self, settings: Settings, *,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = str(settings.libretranslate_url)
        if not self.url:
            raise EngineUnavailable("no LibreTranslate server configured", hint=HINT,
                                    subject=self.name)
        self.api_key = str(settings.libretranslate_api_key)
        self.client = EngineClient(self.name, self.url, settings, hint=HINT, transport=transport)
        self._pairs: dict[tuple[str, str], str] | None = None
        self._lock = threading.Lock()

    def pairs(self) -> dict[tuple[str, str], str]:
        """The pairs the server lists under ``/languages`` (asked once); the server is the
        model (its models are its own business)."""
        with self._lock:
            if self._pairs is None:
                body = self.client.request("GET", "/languages")
                if not isinstance(body, list):
                    raise EngineFailed("libretranslate: unexpected /languages answer",
                                       subject=self.name)
                self._pairs = {(str(lang["code"]), str(target)): self.url for lang in body
                               for target in lang.get("targets", []) if target != lang["code"]}
            return self._pairs

    def run(self, job: Job) -> Answer:
        """Translate each sentence whole, with its tags' contents in the same request."""
        require_pair(self, job)
        out: list[str] = []
        for part in chunks(range(len(job.segments)), self.max_segments):
            out.extend(self._request(job, [job.segments[i] for i in part]))
        return Answer(out)

    def _request(self, job: Job, segments: list[str]) -> list[str]:
        plains = [plain.encode(s) for s in segments]
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
        return out

    def close(self) -> None:
        """Close the connections."""
        self.client.close()
