"""Reading RSS 0.9x/1.0/2.0, Atom and JSON Feed documents into ``models.Feed``.

XML goes through feedparser after three defences of our own: the bytes are decoded here (see
``charset``), any DOCTYPE declaring entities is refused (billion laughs, external entities) and
every other DOCTYPE is removed, so neither expat nor feedparser's loose parser ever expands or
fetches anything. JSON Feed is read by ``jsonfeed``. Every failure is a ``FeedError`` naming the
URL.
"""

from __future__ import annotations

import io
import json
import re
from html.entities import name2codepoint
from typing import Any

import feedparser
from feedparser.api import SUPPORTED_VERSIONS

from babelwire.exceptions import FeedError
from babelwire.models import Feed, FeedItem
from babelwire.sources.charset import decode_xml, sniff_text
from babelwire.sources.itemfields import (
    clean_html,
    first_of_each_guid,
    from_struct_time,
    language_tag,
    plain_text,
    safe_link,
    squash,
)
from babelwire.sources.jsonfeed import is_json_feed, json_feed

# What may precede the root element: whitespace, processing instructions, comments, a DOCTYPE.
_PROLOG = re.compile(
    r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)*", re.DOTALL | re.IGNORECASE
)
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.DOTALL | re.IGNORECASE)
_XML_DECL = re.compile(r"<\?xml\s[^>]*\?>", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_INERT = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ROOT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_FEED_ROOTS = {"rss", "feed", "rdf"}
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/feed+json")
_SNIFF = 65_536


def parse_feed(content: bytes, url: str, *, content_type: str = "") -> Feed:
    """Parse a feed document fetched from ``url`` (the base for relative links).

    Items without an http(s) link are dropped; a document that is not a feed, is refused, or has
    entries none of which is usable raises ``FeedError``.
    """
    if not content.strip():
        raise FeedError("empty document, not a feed", subject=url)
    if _looks_like_json(content, content_type):
        return json_feed(_load_json(content, url), url)
    return _xml_feed(content, url, content_type)


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """True if the document is a feed (by its root element or JSON Feed version), not a web page."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if not content.strip():
        return False
    if _looks_like_json(content, content_type):
        try:
            return is_json_feed(json.loads(content))
        except (ValueError, RecursionError):
            return False
    root = _root_name(content)
    if root is not None:
        return root in _FEED_ROOTS
    return mime in _FEED_TYPES


def _looks_like_json(content: bytes, content_type: str) -> bool:
    """The content decides (servers mislabel feeds); the Content-Type only breaks a tie."""
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return False
    return head.startswith((b"{", b"[")) or "json" in content_type.lower()


def _load_json(content: bytes, url: str) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, nesting
        raise FeedError(f"invalid JSON: {exc}", subject=url) from exc


def _root_name(content: bytes) -> str | None:
    """Local name, lower-cased, of the first element after the prolog; None if there is none."""
    text = sniff_text(content[:_SNIFF])
    end = _PROLOG.match(text)
    match = _ROOT.match(text, end.end() if end else 0)
    return match.group(2).lower() if match else None


def defuse_xml(text: str, url: str) -> bytes:
    """UTF-8 bytes of ``text`` with its declaration made UTF-8 and any DOCTYPE removed.

    Raises ``FeedError`` if the document declares entities anywhere outside CDATA and comments:
    a feed has no need for them and they are how billion-laughs and XXE attacks work.
    """
    text = text.lstrip("\ufeff")
    if _ENTITY_DECL.search(text) and _ENTITY_DECL.search(_INERT.sub("", text)):
        raise FeedError("document declares XML entities (DOCTYPE with <!ENTITY>); refused",
                        subject=url)
    prolog_end = _PROLOG.match(text)
    split = prolog_end.end() if prolog_end else 0
    prolog = _XML_DECL.sub("", _DOCTYPE.sub("", text[:split]))
    body = _DOCTYPE.sub("", text[split:]) if "<!DOCTYPE" in text[split:].upper() else text[split:]
    body = _NAMED_ENTITY.sub(_numeric_reference, body)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + prolog + body).encode("utf-8")


def _numeric_reference(match: re.Match[str]) -> str:
    """``&eacute;`` as ``&#233;``: RSS 0.91 feeds rely on the HTML entities their (removed) DTD
    declared, and an undefined entity would send the whole document to the loose parser."""
    name = match.group(1)
    if name in _XML_ENTITIES or name not in name2codepoint:
        return match.group(0)
    return f"&#{name2codepoint[name]};"


def _xml_feed(content: bytes, url: str, content_type: str) -> Feed:
    text, _ = decode_xml(content, content_type)
    data = defuse_xml(text, url)
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            # No Content-Location: feedparser would resolve a non-URL <guid> against it and the
            # guid would change with the feed's address. We resolve links ourselves.
            response_headers={"content-type": "application/xml; charset=utf-8"},
            sanitize_html=True,
            resolve_relative_uris=True,
        )
        return _to_feed(parsed, url)
    except FeedError:
        raise
    except Exception as exc:  # feedparser has crashed on hostile input before; never let it out
        raise FeedError(f"feed parser failed: {type(exc).__name__}: {exc}", subject=url) from exc


def _to_feed(parsed: Any, url: str) -> Feed:
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not version:
        reason = f" ({problem})" if problem else ""
        raise FeedError(f"not an RSS, Atom or JSON feed{reason}", subject=url)
    meta = parsed.get("feed") or {}
    items = first_of_each_guid(_item(entry, url) for entry in entries)
    if entries and not items:
        raise FeedError(f"none of the {len(entries)} entries has an http(s) link", subject=url)
    if problem is not None and not items:
        raise FeedError(f"broken feed with no usable entries: {problem}", subject=url)
    return Feed(
        url=url,
        title=_text_field(meta, "title"),
        link=safe_link(meta.get("link"), url),
        language=language_tag(meta.get("language")),
        format=SUPPORTED_VERSIONS.get(version, version),
        items=items,
    )


def _item(entry: Any, url: str) -> FeedItem | None:
    link = safe_link(entry.get("link"), url)
    if not link:
        return None
    guid = squash(str(entry.get("id") or "")) or link
    return FeedItem(
        guid=guid,
        url=link,
        title=_text_field(entry, "title"),
        # dict.get: FeedParserDict maps a missing "updated" to "published" with a warning.
        published=from_struct_time(dict.get(entry, "published_parsed")),
        updated=from_struct_time(dict.get(entry, "updated_parsed")),
        author=squash(str(entry.get("author") or "")),
        summary=plain_text(str(entry.get("summary") or "")),
        content_html=_content(entry, url),
    )


def _text_field(obj: Any, key: str) -> str:
    """A title-like field as plain text (feedparser leaves HTML titles as markup)."""
    value = str(obj.get(key) or "")
    detail = obj.get(f"{key}_detail") or {}
    if "html" in str(detail.get("type", "")):
        return plain_text(value)
    return squash(value)


def _content(entry: Any, url: str) -> str:
    """The entry's full content as clean HTML: content:encoded, Atom content, else nothing."""
    parts = entry.get("content") or []
    html_parts = [p for p in parts if "html" in str(p.get("type", ""))] or parts
    if not html_parts:
        return ""
    value = str(html_parts[0].get("value") or "")
    if "html" not in str(html_parts[0].get("type", "")):
        value = "<p>" + value.replace("&", "&amp;").replace("<", "&lt;") + "</p>"
    return clean_html(value, url)
