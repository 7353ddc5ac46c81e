"""DeepL through its v2 API: XML tag handling, ignored tags and glossaries.

The neutral markup is already XML, so segments go as they are with ``tag_handling=xml``:
``<g>`` elements are translated with their content and kept around it, ``<k>`` (protected terms)
and ``<x/>`` (placeholders) are ``ignore_tags`` that DeepL passes through untouched. A glossary
entry with a fixed translation goes to a DeepL glossary instead (created once per pair and
glossary content, found again by name): its term is sent as plain words so that DeepL can
inflect the sentence around the glossary's translation, and the element is put back around that
translation in the answer. Every answer is checked like an LLM's.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

import httpx

from babelwire.exceptions import EngineFailed, EngineUnavailable
from babelwire.settings import Settings
from babelwire.translate import markup
from babelwire.translate.engines.base import Answer, Job, chunks, require_pair
from babelwire.translate.engines.http import EngineClient
from babelwire.translate.engines.validate import problems

HINT = "set deepl_api_key (keys ending in :fx use the free API)"
FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
# DeepL wants a regional variant for these targets.
_TARGET_VARIANT = {"en": "EN-GB", "pt": "PT-PT"}


def target_code(lang: str) -> str:
    """DeepL's target language code for an ISO 639-1 code."""
    return _TARGET_VARIANT.get(lang, lang.upper())


class DeepLEngine:
    """DeepL's ``/v2/translate`` (``deepl_api_key``, ``deepl_url``)."""

    name = "deepl"
    max_segments = 50                      # DeepL takes at most 50 texts per request

    def __init__(self, settings: Settings, *, attempts: int = 2,
                 transport: httpx.BaseTransport | None = None) -> None:
        api_key = str(settings.deepl_api_key)
        if not api_key:
            raise EngineUnavailable("no DeepL API key", hint=HINT, subject=self.name)
        base = str(settings.deepl_url) or (FREE_URL if api_key.endswith(":fx") else PRO_URL)
        self.client = EngineClient(self.name, base, settings, hint=HINT,
                                   headers={"Authorization": f"DeepL-Auth-Key {api_key}"},
                                   transport=transport)
        self.attempts = max(1, attempts)
        self._pairs: dict[tuple[str, str], str] | None = None
        self._glossaries: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()

    def pairs(self) -> dict[tuple[str, str], str]:
        """Every pair among DeepL's source and target languages (asked once); DeepL's model
        is DeepL's, so the memory is only told it is the v2 API."""
        with self._lock:
            if self._pairs is None:
                sources = self._languages("source")
                targets = self._languages("target")
                self._pairs = {(s, t): "v2" for s in sources for t in targets if s != t}
            return self._pairs

    def _languages(self, kind: str) -> set[str]:
        body = self.client.request("GET", "/v2/languages", params={"type": kind})
        if not isinstance(body, list):
            raise EngineFailed("deepl: unexpected /v2/languages answer", subject=self.name)
        return {str(item.get("language", "")).split("-")[0].lower() for item in body}

    def run(self, job: Job) -> Answer:
        """Translate a job; answers that lose markup are asked again, then the call fails."""
        require_pair(self, job)
        fixed = {e.term: e.translation for e in job.glossary if e.translation}
        glossary_id = self._glossary(job.src, job.tgt, fixed) if fixed else None
        texts: list[str | None] = [None if s.strip() else "" for s in job.segments]
        wrong: list[str] = []
        for _ in range(self.attempts):
            pending = [i for i, t in enumerate(texts) if t is None]
            if not pending:
                break
            wrong = [w for part in chunks(pending, self.max_segments)
                     for w in self._attempt(job, part, texts, fixed, glossary_id)]
        if any(t is None for t in texts):
            raise EngineFailed(f"deepl lost markup: {'; '.join(wrong[:3])}", subject=self.name,
                               retryable=True)
        return Answer([t or "" for t in texts])

    def _attempt(self, job: Job, pending: list[int], texts: list[str | None],
                 fixed: dict[str, str], glossary_id: str | None) -> list[str]:
        encoded = [_unwrap_fixed(job.segments[i], fixed) for i in pending]
        payload: dict[str, object] = {
            "text": [e[0] for e in encoded], "source_lang": job.src.upper(),
            "target_lang": target_code(job.tgt), "tag_handling": "xml",
            "ignore_tags": ["k", "x"], "split_sentences": "nonewlines",
            "outline_detection": False, "preserve_formatting": True}
        if glossary_id:
            payload["glossary_id"] = glossary_id
        body = self.client.request("POST", "/v2/translate", json=payload)
        answers = [str(t.get("text", "")) for t in body.get("translations", [])] \
            if isinstance(body, dict) else []
        if len(answers) != len(pending):
            return [f"{len(answers)} translations for {len(pending)} texts"]
        wrong = []
        for index, (_, terms), answer in zip(pending, encoded, answers, strict=True):
            text = _rewrap_fixed(answer, terms)
            found = problems(_expected(job.segments[index], terms), text)
            if found:
                wrong.append(f"{job.segments[index][:40]!r}: {', '.join(found)}")
            else:
                texts[index] = text
        return wrong

    def _glossary(self, src: str, tgt: str, fixed: dict[str, str]) -> str:
        """The id of the DeepL glossary holding ``fixed`` for the pair (created once)."""
        entries = "\n".join(f"{k}\t{v}" for k, v in sorted(fixed.items()))
        digest = hashlib.sha256(entries.encode()).hexdigest()[:12]
        key = (src, tgt, digest)
        with self._lock:
            if key in self._glossaries:
                return self._glossaries[key]
            name = f"babelwire-{src}-{tgt}-{digest}"
            listed = self.client.request("GET", "/v2/glossaries")
            found = [g for g in (listed or {}).get("glossaries", []) if g.get("name") == name]
            if found:
                ident = str(found[0]["glossary_id"])
            else:
                made = self.client.request("POST", "/v2/glossaries", json={
                    "name": name, "source_lang": src, "target_lang": tgt,
                    "entries": entries, "entries_format": "tsv"})
                ident = str(made["glossary_id"])
            self._glossaries[key] = ident
            return ident

    def close(self) -> None:
        """Close the connections."""
        self.client.close()


def _unwrap_fixed(segment: str, fixed: dict[str, str]) -> tuple[str, list[tuple[int, str]]]:
    """Send glossary terms with a fixed translation as plain words; remember what to rewrap."""
    if not fixed:
        return segment, []
    nodes = markup.parse(segment)
    terms: list[tuple[int, str]] = []
    for node, parent in list(markup.walk(nodes)):
        text = markup.plain_text(node.children)
        if node.kind == "k" and text in fixed:
            at = next(i for i, n in enumerate(parent) if n is node)
            parent[at:at + 1] = node.children
            terms.append((node.id, fixed[text]))
    return markup.serialize(nodes), terms


def _expected(segment: str, terms: Sequence[tuple[int, str]]) -> str:
    """The segment as the answer should mark it: fixed terms hold their translation."""
    if not terms:
        return segment
    fixed = dict(terms)
    nodes = markup.parse(segment)
    for node, _ in markup.walk(nodes):
        if node.kind == "k" and node.id in fixed:
            node.children = [markup.Node("text", text=fixed[node.id])]
    return markup.serialize(nodes)


def _rewrap_fixed(answer: str, terms: Sequence[tuple[int, str]]) -> str:
    """Put each glossary term's element back around its fixed translation in the answer.

    The element's content is the glossary's translation; rendering shows the replacement anyway.
    """
    for ident, translation in terms:
        escaped = markup.escape(translation)
        at = answer.find(escaped)
        if at >= 0:
            answer = (f'{answer[:at]}<k id="{ident}">{escaped}</k>'
                      f"{answer[at + len(escaped):]}")
    return answer
