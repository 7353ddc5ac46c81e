"""Machine-readable page metadata: Open Graph tags, and schema.org JSON-LD naming the original."""

from __future__ import annotations

from typing import Any

from babelwire.publish.present import Entry


def article_og(entry: Entry, site_title: str) -> list[tuple[str, str]]:
    """Open Graph (and ``article:``) properties of a translation's page."""
    og = [("og:type", "article"), ("og:title", entry.title), ("og:url", entry.url),
          ("og:site_name", site_title), ("og:description", entry.summary),
          ("og:locale", entry.lang.replace("-", "_")),
          ("article:published_time", entry.published.isoformat()),
          ("article:modified_time", entry.updated.isoformat())]
    if entry.image:
        og.append(("og:image", entry.image))
    return og


def listing_og(title: str, url: str, lang: str, site_title: str) -> list[tuple[str, str]]:
    """Open Graph properties of a front or source page."""
    return [("og:type", "website"), ("og:title", title), ("og:url", url),
            ("og:site_name", site_title), ("og:locale", lang.replace("-", "_"))]


def _original(entry: Entry) -> dict[str, Any]:
    original: dict[str, Any] = {"@type": "NewsArticle", "headline": entry.original_title,
                                "inLanguage": entry.source_lang}
    if entry.original_url:
        original["@id"] = original["url"] = entry.original_url
    if entry.author:
        original["author"] = {"@type": "Person", "name": entry.author}
    if entry.original_published:
        original["datePublished"] = entry.original_published.isoformat()
    if entry.site_name:
        original["publisher"] = {"@type": "Organization", "name": entry.site_name}
    if entry.license_url:
        original["license"] = entry.license_url
    return original


def article_jsonld(entry: Entry, site_title: str, site_url: str) -> dict[str, Any]:
    """schema.org NewsArticle of the translation, based on (and a translation of) the original;
    with ``license`` when the original's licence allows the translation (the original's own
    licence is given on ``isBasedOn`` in any case)."""
    original = _original(entry)
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "@id": entry.url,
        "url": entry.url, "mainEntityOfPage": entry.url, "headline": entry.title,
        "inLanguage": entry.lang, "datePublished": entry.published.isoformat(),
        "dateModified": entry.updated.isoformat(), "description": entry.summary,
        "isBasedOn": original, "translationOfWork": original,
        "publisher": {"@type": "Organization", "name": site_title, "url": site_url},
        "creditText": entry.notice,
        "translator": {"@type": "Organization", "name": entry.engine or "machine translation"}}
    if entry.author:
        data["author"] = {"@type": "Person", "name": entry.author}
    if entry.image:
        data["image"] = entry.image
    if entry.license_url and not entry.cut:
        # a licence that allows the translation (BY, BY-SA: the same licence, as SA requires)
        data["license"] = entry.license_url
    return data
