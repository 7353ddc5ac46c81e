"""RSS 2.0 and Atom 1.0 (with feedgen) and JSON Feed 1.1 (plain JSON) of published translations.

Every item carries the translated article, as much of it as its republishing mode allows (an
excerpt or a headline ends with a link to the whole original), followed by its attribution (source
site and link, author, original date and title, licence, mode and why, the machine-translation
notice), and a GUID that depends only on the site, the article and the language, so a
re-translation updates the item instead of adding one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from feedgen.feed import FeedGenerator
from markupsafe import Markup, escape

from babelwire.i18n import format_day, labels
from babelwire.publish.present import Entry

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself; URLs are absolute."""

    title: str
    description: str
    lang: str
    home_url: str
    rss_url: str
    atom_url: str
    json_url: str
    author: str


def attribution_html(entry: Entry) -> Markup:
    """The attribution block appended to each feed item (every value escaped). Written with
    ``escape`` and f-strings: ``Markup.format`` (a Python-level formatter) was a sixth of a
    feed's time."""
    t = _escaped_labels(entry.lang)
    site = (f'<a href="{escape(entry.original_url)}">{escape(entry.site_name)}</a>'
            if entry.original_url else escape(entry.site_name))
    parts = [f"{t['source']}: {site}"]
    if entry.author:
        parts.append(f"{t['author']}: {escape(entry.author)}")
    if entry.original_published:
        parts.append(f"{t['original_date']}: "
                     f"{escape(format_day(entry.original_published, entry.lang))}")
    parts.append(f'{t["original_title"]}: <span lang="{escape(entry.source_lang)}">'
                 f'{escape(entry.original_title)}</span>')
    if entry.license_url:
        parts.append(f'{t["license"]}: <a rel="license" href="{escape(entry.license_url)}">'
                     f'{escape(entry.license_name or entry.license_url)}</a>')
    parts.append(f'{t["republished"]}: {t[f"mode_{entry.mode}"]} '
                 f'<span lang="en">({escape(entry.mode_reason)})</span>')
    return Markup(f'<hr><p>{" · ".join(parts)}</p><p><em>{escape(entry.notice)}</em></p>')


@lru_cache(maxsize=64)
def _escaped_labels(lang: str) -> dict[str, Markup]:
    return {key: escape(value) for key, value in labels(lang).items()}


def read_full_html(entry: Entry) -> Markup:
    """The link to the whole original under an excerpt or a headline."""
    label = escape(labels(entry.lang)["read_full"].format(site=entry.site_name))
    if not entry.original_url:
        return Markup(f"<p>{label}</p>")
    return Markup(f'<p><strong><a href="{escape(entry.original_url)}">{label}</a></strong></p>')


def item_html(entry: Entry) -> str:
    """Item content: the sanitised translation (as much as its mode allows; a link to the
    whole original when cut), then its attribution."""
    more = read_full_html(entry) if entry.cut else Markup("")
    return str(entry.body + more + attribution_html(entry))


def _generator(info: FeedInfo, entries: Sequence[Entry], self_url: str,
               self_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.id(info.atom_url)
    fg.title(info.title)
    fg.subtitle(info.description)
    fg.link(href=self_url, rel="self", type=self_type)
    # feedgen takes RSS's channel <link> from the last link added: the home page.
    fg.link(href=info.home_url, rel="alternate", type="text/html")
    fg.language(info.lang)
    fg.author(name=info.author, uri=info.home_url)
    newest = max((e.updated for e in entries), default=_EPOCH)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    fg.generator("babelwire")
    for entry in entries:
        _add_entry(fg, entry)
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry) -> None:
    fe = fg.add_entry(order="append")
    fe.id(entry.guid)
    fe.guid(entry.guid, permalink=True)
    fe.title(entry.title)
    # One link only: feedgen 1.0 writes entry links without their rel, so a second (rel="via")
    # link to the original would become a second "alternate", which Atom forbids. The original
    # is linked from the attribution in the content instead.
    fe.link(href=entry.url, rel="alternate", type="text/html")
    if entry.author:
        fe.author(name=entry.author)
        fe.dc.dc_creator(entry.author)
    if entry.summary:
        fe.summary(entry.summary)
    fe.content(item_html(entry), type="html")
    if entry.license_url:
        fe.rights(f"{entry.license_name or entry.license_url}: {entry.license_url}")
    fe.published(entry.published)
    fe.updated(entry.updated)


def rss(info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """An RSS 2.0 document."""
    fg = _generator(info, entries, info.rss_url, "application/rss+xml")
    return bytes(fg.rss_str(pretty=False))


def atom(info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """An Atom 1.0 document."""
    fg = _generator(info, entries, info.atom_url, "application/atom+xml")
    return bytes(fg.atom_str(pretty=False))


def json_feed(info: FeedInfo, entries: Sequence[Entry]) -> bytes:
    """A JSON Feed 1.1 document."""
    feed = {"version": JSON_FEED_VERSION, "title": info.title, "home_page_url": info.home_url,
            "feed_url": info.json_url, "description": info.description, "language": info.lang,
            "authors": [{"name": info.author, "url": info.home_url}],
            "items": [_json_item(e) for e in entries]}
    return json.dumps(feed, ensure_ascii=False).encode()


def _json_item(entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.guid, "url": entry.url, "title": entry.title,
                            "content_html": item_html(entry), "summary": entry.summary,
                            "date_published": entry.published.isoformat(),
                            "date_modified": entry.updated.isoformat(), "language": entry.lang}
    if entry.original_url:
        item["external_url"] = entry.original_url
    if entry.image:
        item["image"] = entry.image
    if entry.author:
        item["authors"] = [{"name": entry.author}]
    # JSON Feed's extension mechanism: a key starting with "_" that readers may ignore.
    item["_babelwire"] = {
        "original_title": entry.original_title, "original_url": entry.original_url,
        "original_language": entry.source_lang, "site_name": entry.site_name,
        "original_published": (entry.original_published.isoformat()
                               if entry.original_published else None),
        "engine": entry.engine, "notice": entry.notice, "license": entry.license_url or None,
        "republish": {"mode": str(entry.mode), "reason": entry.mode_reason}}
    return item


@dataclass(frozen=True)
class Format:
    """One feed format: its file name under a feed base (``/es/``), label, type and builder."""

    file: str
    label: str
    media_type: str
    build: Callable[[FeedInfo, Sequence[Entry]], bytes]

    @property
    def bare_type(self) -> str:
        """The media type without parameters, as ``<link type>`` wants it."""
        return self.media_type.split(";")[0]


FORMATS = (Format("feed.xml", "RSS", RSS_TYPE, rss), Format("atom.xml", "Atom", ATOM_TYPE, atom),
           Format("feed.json", "JSON Feed", JSON_FEED_TYPE, json_feed))
FEED_FILES = tuple(f.file for f in FORMATS)
