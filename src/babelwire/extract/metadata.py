"""Article metadata: title, authors, dates, site name, canonical URL, lead image, section.

Most fields come from trafilatura's own metadata pass (which reads ``<meta>``, JSON-LD and the page
itself). Dates are read here: trafilatura (through htmldate) returns only a day, while babelwire
keeps the page's full timestamp with its UTC offset, so that 2024-09-22T18:10:00+02:00 stays on the
22nd. The order is JSON-LD ``datePublished``, then the usual ``<meta>`` names, then
``<time datetime>``, then htmldate's day (midnight UTC). A timestamp without an offset is taken as
UTC.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as date_parser
from lxml import etree

from babelwire.extract.blocks import collapse, safe_href
from babelwire.extract.cleanup import plain

_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                   "published_time", "publishdate", "publish-date", "pubdate", "parsely-pub-date",
                   "sailthru.date", "dc.date.issued", "dcterms.issued", "dcterms.created",
                   "dc.date", "date", "article.published", "publication_date")
_UPDATED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
                 "last-modified", "article.updated")
_SECTION_META = ("article:section", "parsely-section", "section", "articlesection")
_BYLINE_PREFIX = re.compile(
    r"^(?:by|par|por|von|auteur|autor|author)\b\s*:?\s+",
    re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"(\s+(?:\||-|–|—|::|·|•|/|~)\s+)")
_TITLE_SEPARATOR_ARROWS = re.compile(r"(\s+(?:\||-|–|—|::|·|•|/|~|»|›)\s+)")
_WORD = re.compile(r"\w+")
_WWW = re.compile(r"^www\d*\.")
# second-level labels under a country code: "lanacion.com.ar", "telegraph.co.uk"
_GENERIC_SECOND_LEVEL = frozenset({"com", "co", "org", "net", "gob", "gov", "gv", "edu", "ac"})
# how host names spell German letters: "Löwenseiten" is loewenseiten.info
_ASCII_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                               "ß": "ss"})
_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
_DIGITS = re.compile(r"\d+")
_ARTICLE_TYPES = ("Article", "BlogPosting", "Report", "Posting")
_SITE_TYPES = ("WebSite", "Organization", "NewsMediaOrganization")


@dataclass(frozen=True)
class PageMetadata:
    """Everything babelwire reads about a page besides its body."""

    title: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    site_name: str = ""
    canonical_url: str = ""
    image: str = ""
    section: str = ""
    description: str = ""
    declared_lang: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def author(self) -> str:
        """The authors as one display string ("A, B and C" style is left to the caller)."""
        return ", ".join(self.authors)


def parse_datetime(value: str | None) -> datetime | None:
    """A tz-aware datetime from an ISO 8601 or RFC 2822-like string; naive times become UTC."""
    if not value or not any(ch.isdigit() for ch in value):
        return None
    value = value.strip()
    stamp: datetime | None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        stamp = _parse_loose(value)
    if stamp is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    if not datetime(1990, 1, 1, tzinfo=UTC) <= stamp <= datetime.now(UTC) + timedelta(days=2):
        return None
    return stamp


def _parse_loose(value: str) -> datetime | None:
    """dateutil's reading of a non-ISO date; a zone name it does not know is ignored (UTC).

    At least two groups of digits are required: dateutil fills a missing day or month from today.
    """
    if len(_DIGITS.findall(value)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error", date_parser.UnknownTimezoneWarning)
        try:
            stamp: datetime = date_parser.parse(value)
        except date_parser.UnknownTimezoneWarning:
            stamp = date_parser.parse(value, ignoretz=True)
        except (ValueError, OverflowError):
            return None
    return stamp


def _meta_values(tree: etree._Element) -> dict[str, str]:
    """First ``content`` of each ``<meta>`` keyed by lower-case property, name or itemprop."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key and content and key not in values:
                values[key] = content.strip()
    return values


JSON_LD_NESTED = ("@graph", "mainEntity", "mainEntityOfPage")


def json_ld_objects(tree: etree._Element, nested: tuple[str, ...] = JSON_LD_NESTED
                    ) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, with those nested under ``nested``."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            continue
        yield from _walk_json(data, nested)


def _walk_json(data: Any, nested: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_json(item, nested)
    elif isinstance(data, dict):
        yield data
        for key in nested:
            if isinstance(data.get(key), (list, dict)):
                yield from _walk_json(data[key], nested)


def _is_article(obj: dict[str, Any]) -> bool:
    types = obj.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.endswith(_ARTICLE_TYPES) for t in names)


def _json_ld_article(objects: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (NewsArticle, BlogPosting, ...), or {}."""
    return next((obj for obj in objects if _is_article(obj)), {})


def _names(value: Any) -> tuple[str, ...]:
    """Author names from a JSON-LD ``author`` value (string, object or list of either)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and collapse(name) and "://" not in name:
            names.append(collapse(name))
    return tuple(dict.fromkeys(names))


def clean_author(name: str) -> str:
    """An author name without a leading "By", "Par", "Por", "Von", "Author:" and the like."""
    return collapse(_BYLINE_PREFIX.sub("", collapse(name)))


def _authors(names: Sequence[str]) -> tuple[str, ...]:
    """Cleaned names, each once whatever its case."""
    seen: dict[str, str] = {}
    for name in map(clean_author, names):
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return tuple(seen.values())


def clean_title(title: str, site_names: str | Sequence[str], headings: Sequence[str] = (), *,
                urls: Sequence[str] = (), sections: Sequence[str] = ()) -> str:
    """The article's own title, without the site name that ``<title>`` often adds.

    When a heading of the page is contained in the metadata title, and names neither the site
    nor the section (as below), that heading is the title. Otherwise the title is split into
    segments (on " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " ~ ", and " » ",
    " › " unless the title quotes with « »). Dropped from its ends: segments that name the
    site (:func:`names_site`: one of ``site_names`` or the host of one of the page's ``urls``,
    loosely) or hold no letters (a date); and, between the headline and the end, segments that
    name the page's section (one of ``sections`` or a folder of a URL's path: "… » Local »
    Noticias » Ultima Hora Mallorca"). The longest segment that names no site is the headline
    and always stays, so a dash inside a headline never cuts it.
    """
    names = [site_names] if isinstance(site_names, str) else list(site_names)
    sites = site_keys(names, urls)
    section_names = section_keys(sections, urls)
    heading = _title_heading(title, headings, sites, section_names)
    if heading:
        return heading
    pieces = _separators(title).split(title)
    segments = pieces[0::2]  # pieces alternate segment, separator, segment, ...
    own = [i for i, seg in enumerate(segments) if not names_site(seg, sites)] or [0]
    headline = max(own, key=lambda i: len(segments[i].split()))
    low, high = 0, len(segments)
    while high - 1 > headline and (names_site(segments[high - 1], sites)
                                   or squash(segments[high - 1]) in section_names):
        high -= 1
    while low < headline and names_site(segments[low], sites):
        low += 1
    return collapse("".join(pieces[2 * low:2 * high - 1]))


def _title_heading(title: str, headings: Sequence[str], sites: AbstractSet[str],
                   section_names: AbstractSet[str]) -> str:
    """The first of ``headings`` that ``title`` holds and that names neither the site nor the
    section, or ''. An ``<h1>`` that names the site or the section is the site's logo or the
    section's name ("Rasende Polizisten - strafprozess.ch" with an ``<h1>`` "strafprozess.ch",
    zoll.de's "Fachmeldungen"): taking it gave the site's name for the article's title."""
    folded = title.casefold()
    for heading in headings:
        if len(heading) >= 10 and heading.casefold() in folded \
                and not names_site(heading, sites) and squash(heading) not in section_names:
            return heading
    return ""


def _separators(title: str) -> re.Pattern[str]:
    """The separators of ``title``'s segments (guillemets quote in French titles)."""
    return _TITLE_SEPARATOR if "«" in title or "‹" in title else _TITLE_SEPARATOR_ARROWS


def squash(text: str) -> str:
    """Letters and digits only, lower case, without accents: "Ultima Hora" -> "ultimahora"."""
    return "".join(ch for ch in plain(text) if ch.isalnum())


def site_keys(names: Sequence[str], urls: Sequence[str]) -> frozenset[str]:
    """The squashed names a site goes by: ``names`` (a Twitter handle without its "@") and the
    hosts of ``urls``, whole and without "www." and the top-level domain ("lanacion.com.ar" ->
    "lanacion")."""
    keys = {squash(name) for name in names}
    for url in urls:
        host = _WWW.sub("", (urlsplit(url).hostname or "").lower())
        labels = host.split(".")
        if len(labels) < 2 or all(label.isdigit() for label in labels):
            continue  # no host name (an IP address: a page saved or served locally)
        core = labels[:-1]
        if len(core) > 1 and core[-1] in _GENERIC_SECOND_LEVEL:
            core = core[:-1]
        keys.update({squash(host), "".join(core), core[-1]})
    return frozenset(key for key in keys if key)


def names_site(segment: str, keys: AbstractSet[str]) -> bool:
    """Whether a title segment names the site: no letters at all (a date), one of ``keys`` or a
    part of one ("DW" of "DW.COM"), or one of them with a word more ("Ultima Hora Mallorca" for
    ultimahora.es, "LeMonde.fr" for "Le Monde")."""
    if not any(ch.isalpha() for ch in segment):
        return True
    return any(_names_key(spelling, key) for key in keys if len(key) > 1
               for spelling in {segment, segment.translate(_ASCII_GERMAN)})


def _names_key(segment: str, key: str) -> bool:
    words = [squash(word) for word in _WORD.findall(segment)]
    whole = "".join(words)
    return bool(whole) and (
        whole == key or whole in key or (key in whole and len(whole) < len(key) + 4)
        or "".join(words[1:]) == key or "".join(words[:-1]) == key)


def section_keys(sections: Sequence[str], urls: Sequence[str]) -> frozenset[str]:
    """Squashed names of the page's section: ``sections`` and the folders of the ``urls``'
    paths (not a path's last part, the article's own slug; nothing with digits)."""
    folders = [folder for url in urls for folder in urlsplit(url).path.strip("/").split("/")[:-1]]
    keys = {squash(name) for name in [*sections, *folders]}
    return frozenset(key for key in keys if key and not any(ch.isdigit() for ch in key))


def _first_date(candidates: Iterator[str | None]) -> datetime | None:
    return next((d for d in map(parse_datetime, candidates) if d is not None), None)


def _time_elements(tree: etree._Element) -> Iterator[str | None]:
    for time_el in tree.iter("time"):
        if (time_el.get("itemprop") or "").lower() in {"datepublished", ""}:
            yield time_el.get("datetime")


def _published(tree: etree._Element, meta: dict[str, str], ld: dict[str, Any],
               day: Callable[[], str | None]) -> datetime | None:
    """The publication time; ``day`` (htmldate's day, a search of the page) is only asked for
    when the page states no time."""
    ld_date = ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None
    found = _first_date(iter([ld_date, *(meta.get(k) for k in _PUBLISHED_META)]))
    return found or _first_date(_time_elements(tree)) or parse_datetime(day())


def _schemeless(href: str | None, url: str) -> str | None:
    """``www.site.com/path`` written without a scheme (a common CMS slip) made absolute."""
    if not href or "://" in href or href.startswith(("/", ".", "#", "?")):
        return href
    host = href.split("/", 1)[0].lower()
    page_host = (urlsplit(url).hostname or "").lower()
    same_site = host == page_host or host.endswith("." + page_host.split(".", 1)[-1])
    # "www." is no file or folder name: such a value is a host even when the page was fetched
    # from elsewhere (a mirror, a cache, the demo's local server)
    if _HOST.match(host) and (same_site or host.startswith("www.")):
        return f"{urlsplit(url).scheme or 'https'}://{href}"
    return href


def _canonical(tree: etree._Element, meta: dict[str, str], url: str) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = safe_href(_schemeless(link.get("href"), url), url)
            if href and not href.startswith("mailto:"):
                return href
    og_url = safe_href(_schemeless(meta.get("og:url"), url), url)
    return og_url if og_url and not og_url.startswith("mailto:") else url


def read_metadata(tree: etree._Element, url: str, document: Any,
                  headings: Sequence[str] = ()) -> PageMetadata:
    """Metadata of the page ``tree`` fetched from ``url``.

    ``document`` is trafilatura's ``Document`` from ``bare_extraction(with_metadata=True)`` (or
    None), whose title, author, site name, image and day are used where the page has nothing better.
    ``headings`` are the page's h1 texts, used to strip the site name from the title.
    """
    meta = _meta_values(tree)
    objects = list(json_ld_objects(tree))  # the page's JSON-LD, parsed once
    ld = _json_ld_article(objects)
    authors = _authors(_names(ld.get("author")) or _field(document, "author").split(";"))
    site_name = collapse(meta.get("og:site_name") or _field(document, "sitename"))
    image = safe_href(meta.get("og:image") or _field(document, "image"), url) or ""
    modified = ld.get("dateModified") if isinstance(ld.get("dateModified"), str) else None
    section, canonical = _section(meta, ld), _canonical(tree, meta, url)
    urls = [url, canonical, *(meta.get(key, "") for key in ("og:url", "twitter:url"))]
    # trafilatura's title is og:title or <title> as the page writes it: more than the headline
    # (mostly the site name) on one page in five (95 of 448, bench/titles.py); clean_title
    # takes the site name and the section off
    title = clean_title(collapse(_field(document, "title")), _site_names(meta, document, objects),
                        headings, urls=[u for u in urls if u and u.startswith(("http:", "https:"))],
                        sections=[section])
    return PageMetadata(
        title=title,
        authors=authors,
        published=_published(tree, meta, ld, lambda: _field(document, "date") or None),
        updated=_first_date(iter([modified, *(meta.get(k) for k in _UPDATED_META)])),
        site_name=site_name,
        canonical_url=canonical,
        image="" if image.startswith("mailto:") else image,
        section=section,
        description=collapse(meta.get("og:description") or _field(document, "description")),
        declared_lang=(tree.get("lang") or meta.get("og:locale") or "")[:2].lower(),
        keywords=_keywords(tree, ld),
    )


_KEYWORD_META = ("keywords", "news_keywords", "article:tag", "og:article:tag")
_MAX_KEYWORDS = 50


def _keywords(tree: etree._Element, ld: dict[str, Any]) -> tuple[str, ...]:
    """The page's keywords and tags: ``<meta name="keywords">``, ``news_keywords``, every
    ``article:tag``, and JSON-LD ``keywords`` (a list or a comma-separated string)."""
    values: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        if key in _KEYWORD_META and meta.get("content"):
            values.append(str(meta.get("content")))
    raw = ld.get("keywords")
    values.extend(raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else [])
    found = (collapse(part) for value in values if isinstance(value, str)
             for part in re.split(r"[,;|]", value))
    return tuple(dict.fromkeys(k for k in found if k and len(k) <= 80))[:_MAX_KEYWORDS]


def _site_names(meta: dict[str, str], document: Any,
                objects: Sequence[dict[str, Any]]) -> list[str]:
    """Every name the page gives its site: og:site_name, application-name, the Twitter handle,
    trafilatura's site name, and the JSON-LD publisher and web site (of ``objects``)."""
    names = [meta.get(key, "") for key in ("og:site_name", "application-name",
                                           "apple-mobile-web-app-title", "twitter:site")]
    names.append(_field(document, "sitename"))
    for obj in objects:
        publisher = obj.get("publisher")
        names.extend(_names(publisher) if isinstance(publisher, (dict, str)) else ())
        if obj.get("@type") in _SITE_TYPES and isinstance(obj.get("name"), str):
            names.append(obj["name"])
    return [collapse(name.lstrip("@")) for name in names if name]


def _field(document: Any, name: str) -> str:
    """A text field of trafilatura's Document ('' when missing)."""
    value = getattr(document, name, None) if document is not None else None
    return str(value) if value else ""


def _section(meta: dict[str, str], ld: dict[str, Any]) -> str:
    section = next((meta[k] for k in _SECTION_META if meta.get(k)), "")
    if not section and isinstance(ld.get("articleSection"), str):
        section = ld["articleSection"]
    return collapse(section)
