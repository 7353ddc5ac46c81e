"""An LLM behind an OpenAI-compatible chat API: Ollama, vLLM, llama.cpp server, hosted APIs.

Segments go in batches as a JSON object in the user message; the model answers a JSON object
with one translation per segment. The prompt asks for a faithful news translation that keeps
every inline element; each answer is checked (``validate.problems``: every placeholder back,
nothing added, protected terms verbatim) and the segments that fail are asked again on their own.
A segment still wrong after the retries fails the call, and the router falls back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import httpx

from babelwire.exceptions import EngineFailed, EngineUnavailable
from babelwire.settings import Settings
from babelwire.translate.engines.base import Answer, Job, chunks, require_pair
from babelwire.translate.engines.http import EngineClient
from babelwire.translate.engines.validate import problems

HINT = ("set openai_url (e.g. http://127.0.0.1:11434/v1 for Ollama) and openai_model; "
        "openai_api_key for a hosted API")
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German",
                  "it": "Italian", "pt": "Portuguese", "ca": "Catalan", "nl": "Dutch",
                  "eo": "Esperanto", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian",
                  "ar": "Arabic", "zh": "Chinese", "ja": "Japanese", "ur": "Urdu"}

SYSTEM_PROMPT = """You are a professional news translator. Translate each segment from \
{src} into {tgt} faithfully, as a careful newspaper translator would: keep the meaning, tone, \
names, numbers, dates and quotations; do not add, omit, summarise, explain or comment.
Segments contain inline markup that must survive:
- <g id="N">...</g> wraps words (a link, emphasis): translate its content and keep the element \
around the words that translate it;
- <k id="N">...</k> is a protected term: copy the element and its content exactly;
- <x id="N"/> is a placeholder: keep it at the matching place.
Keep every element exactly once with the same id, add no other markup, keep &amp; &lt; &gt; \
escaped.
Answer with JSON only, no prose: {{"translations": ["...", ...]}} with exactly one string per \
input segment, in the same order."""


def language_name(code: str) -> str:
    """The English name of a language code, for the prompt."""
    return LANGUAGE_NAMES.get(code, code)


class OpenAIChatEngine:
    """Translation by an LLM through an OpenAI-compatible ``/chat/completions`` endpoint."""

    name = "openai"

    def __init__(self, settings: Settings, *, attempts: int = 3,
                 transport: httpx.BaseTransport | None = None) -> None:
        url, self.model = str(settings.openai_url), str(settings.openai_model)
        if not url or not self.model:
            raise EngineUnavailable("no OpenAI-compatible API configured", hint=HINT,
                                    subject=self.name)
        api_key = str(settings.openai_api_key)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.languages = tuple(settings.openai_languages)
        self.max_segments = max(1, int(settings.openai_batch))     # segments per request
        self.attempts = max(1, attempts)
        self.client = EngineClient(self.name, url, settings, headers=headers,
                                   transport=transport, hint=HINT)

    def pairs(self) -> dict[tuple[str, str], str]:
        """Every pair among the configured languages, each served by the one model."""
        return {(a, b): self.model for a in self.languages for b in self.languages if a != b}

    def run(self, job: Job) -> Answer:
        """Translate a job, checking every answer; failing segments are asked again alone."""
        require_pair(self, job)
        texts: list[str | None] = [None if s.strip() else "" for s in job.segments]
        usage = [0, 0]
        pending = [i for i, t in enumerate(texts) if t is None]
        last: list[str] = []
        for attempt in range(self.attempts):
            groups = chunks(pending, self.max_segments) if attempt == 0 else [[i] for i in pending]
            for group in groups:
                last = self._attempt(job, group, texts, usage)
            pending = [i for i, t in enumerate(texts) if t is None]
            if not pending:
                return Answer([t or "" for t in texts], usage[0], usage[1])
        raise EngineFailed(f"openai kept answering badly for {len(pending)} segment(s): "
                           f"{'; '.join(last[:3])}", subject=self.name, retryable=True)

    def _attempt(self, job: Job, group: list[int], texts: list[str | None],
                 usage: list[int]) -> list[str]:
        segments = [job.segments[i] for i in group]
        body = self._chat(segments, job.src, job.tgt)
        usage[0] += int(body.get("usage", {}).get("prompt_tokens", 0) or 0)
        usage[1] += int(body.get("usage", {}).get("completion_tokens", 0) or 0)
        answers = parse_answer(body, len(segments))
        if answers is None:
            return [f"the answer is not a JSON list of {len(segments)} translations"]
        found = []
        for index, segment, answer in zip(group, segments, answers, strict=True):
            wrong = problems(segment, answer)
            if wrong:
                found.append(f"{segment[:40]!r}: {', '.join(wrong)}")
            else:
                texts[index] = answer
        return found

    def _chat(self, segments: Sequence[str], src: str, tgt: str) -> dict[str, Any]:
        system = SYSTEM_PROMPT.format(src=language_name(src), tgt=language_name(tgt))
        user = json.dumps({"source_language": src, "target_language": tgt,
                           "segments": list(segments)}, ensure_ascii=False)
        payload = {"model": self.model, "temperature": 0, "stream": False,
                   "messages": [{"role": "system", "content": system},
                                {"role": "user", "content": user}]}
        body = self.client.request("POST", "/chat/completions", json=payload)
        if not isinstance(body, dict):
            raise EngineFailed("openai answered an unexpected JSON shape", subject=self.name)
        return body

    def close(self) -> None:
        """Close the connections."""
        self.client.close()


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.S)


def parse_answer(body: dict[str, Any], count: int) -> list[str] | None:
    """The translations in a chat completion, or None if it is not what was asked."""
    try:
        content = body["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(content, str):
        return None
    try:
        data = json.loads(_FENCE.sub("", content.strip()))
    except ValueError:
        return None
    if isinstance(data, dict):
        data = data.get("translations")
    if not isinstance(data, list) or len(data) != count:
        return None
    if not all(isinstance(item, str) for item in data):
        return None
    return list(data)
