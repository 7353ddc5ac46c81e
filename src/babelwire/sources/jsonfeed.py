"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), which feedparser does not read.

Only documents whose ``version`` names jsonfeed.org version 1 are JSON Feeds: other JSON (an API
answer, or an RSS document serialised as JSON) is refused with a ``FeedError``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from babelwire.exceptions import FeedError
from babelwire.models import Feed, FeedItem
from babelwire.sources.itemfields import (
    clean_html,
    first_of_each_guid,
    from_iso,
    language_tag,
    plain_text,
    safe_link,
    squash,
)

_BLANK_LINE = re.compile(r"\n\s*\n")
_VERSION_PREFIXES = ("https://jsonfeed.org/version/1", "http://jsonfeed.org/version/1")


def is_json_feed(data: object) -> bool:
    """True if ``data`` (decoded JSON) declares itself a JSON Feed version 1.x."""
    if not isinstance(data, dict):
        return False
    version = data.get("version")
    return isinstance(version, str) and version.strip().startswith(_VERSION_PREFIXES)


def json_feed(data: object, url: str) -> Feed:
    """A ``Feed`` from a decoded JSON Feed document fetched from ``url``."""
    if not isinstance(data, dict) or not is_json_feed(data):
        raise FeedError("JSON document is not a JSON Feed (no jsonfeed.org version 1 'version')",
                        subject=url)
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no 'items' list", subject=url)
    base = safe_link(_text(data.get("feed_url")), url) or url
    feed_author = _author(data)
    usable = first_of_each_guid(_item(raw, base, feed_author) for raw in items
                                if isinstance(raw, dict))
    if items and not usable:
        raise FeedError(f"none of the {len(items)} JSON Feed items has an http(s) url",
                        subject=url)
    version = _text(data.get("version")).rstrip("/").rsplit("/", 1)[-1]
    return Feed(
        url=url,
        title=squash(_text(data.get("title"))),
        link=safe_link(_text(data.get("home_page_url")), base),
        language=language_tag(data.get("language")),
        format=f"JSON Feed {version}",
        items=usable,
    )


def _item(raw: dict[str, Any], base: str, feed_author: str) -> FeedItem | None:
    link = safe_link(_text(raw.get("url")), base) or safe_link(_text(raw.get("external_url")), base)
    if not link:
        return None
    raw_id = raw.get("id")
    guid = str(raw_id).strip() if isinstance(raw_id, str | int) and str(raw_id).strip() else link
    content_html = _text(raw.get("content_html")) or _paragraphs(_text(raw.get("content_text")))
    return FeedItem(
        guid=guid,
        url=link,
        title=squash(_text(raw.get("title"))),
        published=from_iso(raw.get("date_published")),
        updated=from_iso(raw.get("date_modified")),
        author=_author(raw) or feed_author,
        summary=plain_text(_text(raw.get("summary"))),
        content_html=clean_html(content_html, link),
    )


def _author(obj: dict[str, Any]) -> str:
    """``authors`` (1.1) or ``author`` (1.0) names, comma separated."""
    people = obj.get("authors")
    if not isinstance(people, list):
        people = [obj.get("author")]
    names = [squash(_text(p.get("name"))) for p in people if isinstance(p, dict)]
    return ", ".join(name for name in names if name)


def _paragraphs(text: str) -> str:
    """Plain ``content_text`` as HTML paragraphs (blank lines separate paragraphs)."""
    blocks = (squash(block) for block in _BLANK_LINE.split(text))
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks if block)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
