"""What a translation becomes on WordPress: the fields of its post.

==================  =================================================================
post field          from
==================  =================================================================
``title``           the translated title (plain text)
``content``         the sanitised translation, cut to its republishing mode, then the
                    attribution (original title, site, author, date, link) and the
                    machine-translation notice, in the translation's language
``excerpt``         the translation's summary
``date_gmt``        when the original was published (else when it was translated)
``slug``            the translated title, then ``bw<item>-<lang>`` (unique, stable)
``status``          ``publish``, or ``draft`` for a held translation on a target that
                    asks for drafts
``categories``      one per source and, without Polylang/WPML, one per language
``tags``            the original's site name and language
``featured_media``  the lead image, uploaded once with its caption and credit
``meta``            ``babelwire_*``: key, original URL, site, author, source language,
                    language, engine (kept where babelwire's meta plugin is installed)
``lang``            the language, where Polylang is installed
==================  =================================================================
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC
from html import escape
from typing import Any

from babelwire import i18n
from babelwire.publish.present import Entry

SLUG_WORDS = 60


def post_key(item_id: int, lang: str) -> str:
    """The translation's key on every target: its item and language."""
    return f"{item_id}:{lang}"


def slugify(text: str) -> str:
    """ASCII words of ``text`` joined by hyphens."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", flat.lower()).strip("-")


def post_slug(entry: Entry) -> str:
    """A slug unique to the translation: its title's words, then ``bw<item>-<lang>``."""
    words = slugify(entry.title)[:SLUG_WORDS].rstrip("-")
    tail = f"bw{entry.item_id}-{entry.lang}"
    return f"{words}-{tail}" if words else tail


def attribution_html(entry: Entry) -> str:
    """The attribution and the machine-translation notice, as the end of the post's content."""
    words = i18n.labels(entry.lang)
    lines = []
    if entry.original_title:
        lines.append(f"{escape(words['original_title'])}: {escape(entry.original_title)}")
    lines.append(f"{escape(words['source'])}: {escape(entry.site_name)}")
    if entry.author:
        lines.append(f"{escape(words['author'])}: {escape(entry.author)}")
    if entry.original_published:
        day = i18n.format_day(entry.original_published, entry.lang)
        lines.append(f"{escape(words['original_date'])}: {escape(day)}")
    if entry.original_url:
        lines.append(f'<a href="{escape(entry.original_url)}" rel="nofollow">'
                     f"{escape(words['read_original'])}</a>")
    body = "<br>\n".join(lines)
    return (f'<aside class="babelwire-attribution">\n<p>{body}</p>\n'
            f'<p class="babelwire-notice"><em>{escape(entry.notice)}</em></p>\n</aside>')


def post_content(entry: Entry) -> str:
    """The post's content: the translation as readers may see it, then its attribution."""
    return f"{entry.body}\n{attribution_html(entry)}"


def post_meta(entry: Entry) -> dict[str, str]:
    """The attribution as post meta (``babelwire_*``)."""
    return {"babelwire_key": post_key(entry.item_id, entry.lang),
            "babelwire_original_url": entry.original_url, "babelwire_site": entry.site_name,
            "babelwire_author": entry.author, "babelwire_source_lang": entry.source_lang,
            "babelwire_lang": entry.lang, "babelwire_engine": entry.engine}


def post_fields(entry: Entry, *, status: str, categories: list[int], tags: list[int],
                media_id: int | None, polylang: bool) -> dict[str, Any]:
    """Every field of the translation's post."""
    when = entry.original_published or entry.published
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    # WordPress prints titles and excerpts as HTML, and an Editor may post unfiltered HTML:
    # babelwire's plain text goes escaped
    fields: dict[str, Any] = {
        "title": escape(entry.title, quote=False), "content": post_content(entry),
        "excerpt": escape(entry.summary, quote=False),
        "date_gmt": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "status": status, "categories": categories, "tags": tags, "meta": post_meta(entry),
    }
    if media_id is not None:
        fields["featured_media"] = media_id
    if polylang:
        fields["lang"] = entry.lang
    return fields


def image_caption(entry: Entry) -> str:
    """The featured image's caption (HTML): its credit, the original's site."""
    return escape(f"{entry.title} — {i18n.labels(entry.lang)['source']}: {entry.site_name}",
                  quote=False)
