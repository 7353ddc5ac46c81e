"""What the one-off commands (``extract``, ``translate``) read: a saved page, a URL, a text
file or standard input."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babelwire.exceptions import BabelwireError
from babelwire.models import Article
from babelwire.settings import Settings


@dataclass(frozen=True)
class Input:
    """Bytes to work on and the address they stand for."""

    content: bytes
    url: str
    encoding: str | None = None
    is_text: bool = False
    robots_tag: tuple[str, ...] = ()    # the X-Robots-Tag headers of a fetched page


def read_input(spec: str, url: str | None, settings: Settings) -> Input:
    """Read a file path, ``-`` (standard input) or an http(s) URL."""
    if spec.startswith(("http://", "https://")):
        from babelwire.sources.fetch import Fetcher

        with Fetcher(settings) as fetcher:
            result = fetcher.get(spec, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        return Input(result.content, url or result.final_url, result.encoding,
                     robots_tag=result.robots_tag)
    if spec == "-":
        return Input(sys.stdin.buffer.read(), url or "stdin:", is_text=True)
    path = Path(spec)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise BabelwireError(f"cannot read: {exc.strerror}", subject=spec) from exc
    return Input(content, url or path.resolve().as_uri(), is_text=path.suffix.lower() == ".txt")


def extract_article(data: Input) -> Article:
    from babelwire.extract.article import extract_article

    return extract_article(data.content, data.url, encoding=data.encoding,
                           robots_tag=data.robots_tag)
