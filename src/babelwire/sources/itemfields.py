"""Normalisations shared by the XML and JSON feed readers: links, text, HTML, dates, language."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import nh3

from babelwire.models import FeedItem

_BLOCK_TAG = re.compile(
    r"<(?:/?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|section|article|figure"
    r"|figcaption|hr|dd|dt)\b)[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")

# ISO 639-2/3 codes seen in <language> elements ("spa", "fre") mapped to the ISO 639-1 codes the
# rest of babelwire uses; unknown codes pass through unchanged.
_THREE_LETTER = {
    "ara": "ar", "cat": "ca", "chi": "zh", "zho": "zh", "cze": "cs", "ces": "cs", "dan": "da",
    "deu": "de", "ger": "de", "dut": "nl", "nld": "nl", "ell": "el", "gre": "el", "eng": "en",
    "epo": "eo", "fas": "fa", "per": "fa", "fin": "fi", "fra": "fr", "fre": "fr", "glg": "gl",
    "heb": "he", "hin": "hi", "ita": "it", "jpn": "ja", "kor": "ko", "nor": "no", "pol": "pl",
    "por": "pt", "ron": "ro", "rum": "ro", "rus": "ru", "spa": "es", "swe": "sv", "tur": "tr",
    "ukr": "uk", "urd": "ur", "eus": "eu", "baq": "eu",
}


def safe_link(link: str | None, base: str) -> str:
    """``link`` made absolute against ``base``; empty unless it is an http(s) URL with a host."""
    if not link or not isinstance(link, str):
        return ""
    try:
        absolute = urljoin(base, link.strip())
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return absolute


def first_of_each_guid(items: Iterable[FeedItem | None]) -> tuple[FeedItem, ...]:
    """The usable items, each guid once (broken feeds repeat entries; the first one wins)."""
    seen: dict[str, FeedItem] = {}
    for item in items:
        if item is not None and item.guid not in seen:
            seen[item.guid] = item
    return tuple(seen.values())


def plain_text(markup: str) -> str:
    """Text of an HTML fragment: tags dropped (block tags become spaces), entities decoded."""
    if "<" in markup or "&" in markup:
        markup = html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", markup)))
    return squash(markup)


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, ends trimmed."""
    return _SPACES.sub(" ", text).strip()


def clean_html(markup: str, base: str) -> str:
    """HTML with scripts, event handlers and unsafe URL schemes removed (nh3), relative links
    made absolute against ``base``."""
    if not markup.strip():
        return ""
    try:
        return nh3.clean(markup, link_rel=None, url_relative=("rewrite_with_base", base)).strip()
    except ValueError:  # a base URL the sanitizer cannot parse: drop relative links instead
        return nh3.clean(markup, link_rel=None, url_relative="deny").strip()


def from_struct_time(value: object) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime; None if absent or out of range."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def from_iso(value: object) -> datetime | None:
    """An RFC 3339 date (JSON Feed) as an aware datetime, UTC when no offset is given."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def language_tag(value: object) -> str:
    """A language tag as ``xx`` or ``xx-yy`` in lower case; three-letter codes mapped to two."""
    if not isinstance(value, str):
        return ""
    tag = value.strip().replace("_", "-").lower()
    primary, _, rest = tag.partition("-")
    primary = _THREE_LETTER.get(primary, primary)
    if not primary.isalpha() or len(primary) > 8:
        return ""
    return f"{primary}-{rest}" if rest else primary
