"""The rights a page declares: its licence, whether it is paywalled, and its robots directives.

**Licence.** Statements are gathered in two tiers. *Explicit* ones name the page's licence in
markup made for it: ``<link>`` or ``<a>`` with ``rel="license"`` (or ``rel="copyright"``
pointing at a licence), schema.org ``license`` in JSON-LD or microdata of the article or page,
``<meta name="dcterms.license">``. *Stated* ones are Creative Commons links without such markup
in the page's footer or in a block classed as a licence notice ("Dieser Text wurde veröffentlicht
unter der Lizenz CC BY-NC-ND 4.0" in ``field-name-field-lizenz``); a Creative Commons link
anywhere else (the article's text, a music credit) is not the page's. Links that credit an image
(inside a figure or caption, or in a block that speaks of a photo, image or credit) are not the
page's licence either. The explicit tier wins when it has a recognised licence; two different
licences in the chosen tier keep the stricter and say so, and a licence value that is no URL is
reported as a problem.

**Access.** schema.org ``isAccessibleForFree`` in JSON-LD (the article, the page or a
``hasPart`` element: a paywalled part makes the page paywalled) and microdata, written as a
boolean, a string or a schema.org URL (``http://schema.org/False``); and the
``article:content_tier`` meta (``locked`` and ``metered`` are paywalls). Any "not free" wins.

**Robots.** ``<meta name="robots">`` and a ``<meta>`` named for babelwire's own agent, and the
response's ``X-Robots-Tag`` headers (those without an agent and those naming ours): ``noindex``,
``nofollow``, ``noarchive`` (Bing's ``nocache`` too), ``nosnippet``, ``notranslate``,
``noimageindex`` and ``max-snippet:N`` (N >= 0); ``none`` is ``noindex`` and ``nofollow``.
Directives meant for other crawlers (``googlebot``) are not babelwire's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from babelwire.extract.blocks import collapse
from babelwire.extract.metadata import JSON_LD_NESTED, json_ld_objects
from babelwire.models import Access, Rights
from babelwire.rights.licences import Licence, parse_licence, stricter

AGENT = "babelwire"
_LICENCE_META = ("dcterms.license", "dc.rights.license", "dc.license", "license", "licence")
_PAGE_TYPES = ("Article", "BlogPosting", "Report", "Posting", "WebPage", "CreativeWork",
               "WebPageElement", "WebSite", "Page")
_MEDIA_TYPES = ("ImageObject", "VideoObject", "MediaObject", "AudioObject", "Photograph")
_NESTED = (*JSON_LD_NESTED, "hasPart")   # paywalled sections are parts of the article
_FOOTER = re.compile(r"footer|copyright|colophon|licen[cs]|lizenz", re.I)
_LICENCE_CONTEXT = re.compile(r"licen[cs]|lizenz", re.I)
_IMAGE_CONTEXT = re.compile(r"caption|credit|image|img|photo|foto|media|thumbnail|gallery",
                            re.I)
_NEAR = 3              # how many levels up a class says a link credits an image
_IMAGE_WORDS = re.compile(
    r"\b(?:photo|foto|image|imagen|picture|bild|illustration|credit|crédit|crédito)s?\b",
    re.I)
_SCHEMA_BOOL = re.compile(r"^(?:https?://schema\.org/)?(true|false)$", re.I)
_PAYWALL_TIERS = frozenset({"locked", "metered"})
_KEPT = frozenset({"noindex", "nofollow", "noarchive", "nosnippet", "notranslate",
                   "noimageindex"})
_VALUED = frozenset({"max-snippet", "max-image-preview", "max-video-preview",
                     "unavailable_after"})
_AGENT_PREFIX = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:\s*(.*)$", re.S)


@dataclass(frozen=True)
class Statement:
    """One place the page states a licence: the URL it gives and where it said so."""

    value: str
    where: str


def read_rights(tree: etree._Element, url: str, *, robots_tag: Sequence[str] = (),
                agent: str = AGENT) -> Rights:
    """The rights of the page ``tree`` fetched from ``url``; ``robots_tag`` holds the values
    of the response's ``X-Robots-Tag`` headers."""
    objects = list(json_ld_objects(tree, _NESTED))
    marked = _MARKED(tree)  # one search of the page for both properties read
    licence, problems = choose_licence(explicit_statements(tree, url, objects, marked),
                                       stated_licences(tree, url))
    access, unreadable = read_access(tree, objects, marked)
    robots = robots_directives(_robots_meta(tree, agent), robots_tag, agent)
    return Rights(license=licence, access=access, robots=robots,
                  problems=tuple(dict.fromkeys([*problems, *unreadable])))


# -- licence --------------------------------------------------------------------------------

# the elements with a schema.org property (few: the page's licence and whether it is free are
# picked from them)
_MARKED = etree.XPath("//*[@itemprop]")


def _marked(tree: etree._Element, marked: Sequence[etree._Element] | None,
            prop: str) -> list[etree._Element]:
    """The elements of ``tree`` with ``itemprop=prop``, in document order."""
    return [el for el in (_MARKED(tree) if marked is None else marked)
            if el.get("itemprop") == prop]


def explicit_statements(tree: etree._Element, url: str,
                        objects: Sequence[dict[str, Any]] = (),
                        marked: Sequence[etree._Element] | None = None) -> list[Statement]:
    """Licences the page states in markup made for it (see the module's docstring).
    ``marked``: the page's elements with a schema.org ``itemprop`` that :func:`read_rights`
    reads (:data:`_MARKED`), when already found."""
    found = []
    for el in tree.iter("a", "link"):
        rels = (el.get("rel") or "").lower().split()
        if "license" not in rels and "copyright" not in rels:
            continue
        href = _href(el, url)
        stated = "license" in rels or parse_licence(href)
        if stated and not _credits_an_image(el):
            found.append(Statement(href, f"<{el.tag} rel=license>"))
    for obj in objects:
        if _is_typed(obj, _PAGE_TYPES) and not _is_typed(obj, _MEDIA_TYPES):
            found.extend(Statement(_absolute(v, url), "schema.org license (JSON-LD)")
                         for v in _licence_values(obj.get("license")))
    for el in _marked(tree, marked, "license"):
        if not _in_media_item(el):
            value = el.get("href") or el.get("content") or collapse(el.text_content())
            found.append(Statement(_absolute(value, url), "schema.org license (microdata)"))
    for meta in tree.iter("meta"):
        if (meta.get("name") or meta.get("property") or "").strip().lower() in _LICENCE_META:
            found.append(Statement(_absolute(meta.get("content") or "", url),
                                   f"<meta name={meta.get('name') or meta.get('property')}>"))
    return found


def stated_licences(tree: etree._Element, url: str) -> list[Statement]:
    """Creative Commons links without licence markup, in a footer or in a block classed as a
    licence notice; elsewhere in a page (an article's text, a credit) a link to a licence says
    what something else is under, not the page."""
    found = []
    # a licence URL is on creativecommons.org (licences.CC_HOSTS): a link that does not name it
    # can only point there from a page of that site
    on_cc = "creativecommons" in url.lower()
    for el in tree.iter("a"):
        if not on_cc and "creativecommons" not in (el.get("href") or "").lower():
            continue
        href = _href(el, url)
        if (not parse_licence(href) or "license" in (el.get("rel") or "").lower().split()
                or _credits_an_image(el)):
            continue
        if _in_context(el, _LICENCE_CONTEXT):
            found.append(Statement(href, "a licence notice"))
        elif _in_context(el, _FOOTER):
            found.append(Statement(href, "a licence link in the footer"))
    return found


def choose_licence(explicit: Sequence[Statement],
                   stated: Sequence[Statement]) -> tuple[str | None, list[str]]:
    """The page's licence URL (canonical when recognised) and the problems met on the way."""
    problems = [f"the licence given by {s.where} is not a URL: {s.value!r}"
                for s in explicit if not _is_url(s.value)]
    usable = [s for s in explicit if _is_url(s.value)]
    for tier in (usable, stated):
        known = [(s, lic) for s in tier for lic in [parse_licence(s.value)] if lic]
        if known:
            return _stricter_of(known, problems)
    if usable:
        return usable[0].value, problems
    return None, problems


def _stricter_of(known: Sequence[tuple[Statement, Licence]],
                 problems: list[str]) -> tuple[str, list[str]]:
    chosen = known[0][1]
    for _, licence in known[1:]:
        chosen = stricter(chosen, licence)
    distinct = {lic.url: (s, lic) for s, lic in known}
    if len(distinct) > 1:
        named = " and ".join(f"{lic.name} ({s.where})" for s, lic in distinct.values())
        problems.append(f"conflicting licences: {named}; the stricter, {chosen.name}, applies")
    return chosen.url, problems


def _licence_values(value: Any) -> Iterator[str]:
    """URLs (or whatever else was written) of a JSON-LD ``license`` value."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            item = item.get("@id") or item.get("url") or item.get("name")
        if isinstance(item, str) and item.strip():
            yield item.strip()


def _href(el: etree._Element, url: str) -> str:
    """An element's link, made absolute against the page."""
    href = (el.get("href") or "").strip()
    try:
        return urljoin(url, href) if href else ""
    except ValueError:               # "http://[not an address]/": kept as written
        return href


def _absolute(value: str, url: str) -> str:
    """A link made absolute against the page (``www.site.org/x`` written without a scheme too);
    anything that is no link (a licence's name) as written."""
    value = value.strip()
    if re.match(r"^[\w-]+(\.[\w-]+)*\.[a-z]{2,}/", value, re.I):
        return "https://" + value
    if value.startswith(("/", "./", "../")):
        try:
            return urljoin(url, value)
        except ValueError:
            return value
    return value


def _is_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
    except ValueError:
        return False


def _credits_an_image(el: etree._Element) -> bool:
    """Whether a link credits an image: it sits in a figure or caption, in a block classed as
    an image's (a few levels up: page-wide classes such as "has-post-thumbnail" say nothing),
    or, outside a footer or licence notice, in a block that speaks of a photo or credit."""
    ancestors = list(el.iterancestors())
    if any(a.tag in ("figure", "figcaption") for a in ancestors):
        return True
    if any(_IMAGE_CONTEXT.search(_names(a)) for a in ancestors[:_NEAR]):
        return True
    if _in_context(el, _FOOTER) or _in_context(el, _LICENCE_CONTEXT):
        return False
    block = next((a for a in ancestors if a.tag in ("p", "li", "div", "td")), None)
    return block is not None and bool(_IMAGE_WORDS.search(block.text_content()[:500]))


def _names(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _in_context(el: etree._Element, pattern: re.Pattern[str]) -> bool:
    """Whether an ancestor is classed (or, for the footer, tagged) as ``pattern`` says."""
    return any((a.tag == "footer" and pattern is _FOOTER) or pattern.search(_names(a))
               for a in el.iterancestors())


def _in_media_item(el: etree._Element) -> bool:
    scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
    return scope is not None and any(t in (scope.get("itemtype") or "") for t in _MEDIA_TYPES)


# -- access ---------------------------------------------------------------------------------

def read_access(tree: etree._Element, objects: Sequence[dict[str, Any]] = (),
                marked: Sequence[etree._Element] | None = None) -> tuple[Access, list[str]]:
    """Whether the page is free, paywalled or silent, and the values that could not be read
    (``marked`` as for :func:`explicit_statements`)."""
    values: list[bool] = []
    problems: list[str] = []
    raw = [obj["isAccessibleForFree"] for obj in objects
           if "isAccessibleForFree" in obj and not _is_typed(obj, _MEDIA_TYPES)]
    raw += [el.get("content") if el.get("content") is not None else el.text_content()
            for el in _marked(tree, marked, "isAccessibleForFree")]
    for value in raw:
        free = _schema_bool(value)
        if free is None:
            problems.append(f"unreadable isAccessibleForFree value {value!r}")
        else:
            values.append(free)
    for meta in tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "article:content_tier":
            tier = (meta.get("content") or "").strip().lower()
            if tier in _PAYWALL_TIERS or tier == "free":
                values.append(tier == "free")
    if False in values:
        return Access.PAYWALLED, problems
    return (Access.FREE if values else Access.UNKNOWN), problems


def _schema_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    match = _SCHEMA_BOOL.match(str(value).strip()) if isinstance(value, str) else None
    return match.group(1).lower() == "true" if match else None


# -- robots ---------------------------------------------------------------------------------

def _robots_meta(tree: etree._Element, agent: str) -> list[str]:
    names = {"robots", agent.lower()}
    return [meta.get("content") or "" for meta in tree.iter("meta")
            if (meta.get("name") or "").strip().lower() in names]


def robots_directives(meta: Sequence[str], headers: Sequence[str] = (),
                      agent: str = AGENT) -> tuple[str, ...]:
    """The directives babelwire obeys, from ``<meta>`` contents and ``X-Robots-Tag`` values."""
    found: list[str] = []
    for content in meta:
        found.extend(_directives(content))
    for value in headers:
        prefix = _AGENT_PREFIX.match(value)
        if prefix and prefix.group(1).lower() not in _VALUED | _KEPT | {"none", "all"}:
            if prefix.group(1).lower() == agent.lower():
                found.extend(_directives(prefix.group(2)))
            continue
        found.extend(_directives(value))
    return tuple(dict.fromkeys(found))


def _directives(content: str) -> Iterator[str]:
    text = re.sub(r"\s*:\s*", ":", content.strip().lower())
    for part in text.split(","):
        for token in (part.split() if ":" not in part else [part.strip()]):
            if token in _KEPT:
                yield token
            elif token == "nocache":
                yield "noarchive"
            elif token == "none":
                yield from ("noindex", "nofollow")
            elif token.startswith("max-snippet:") and token[12:].isdigit():
                yield token


# -- JSON-LD --------------------------------------------------------------------------------

def _is_typed(obj: dict[str, Any], suffixes: tuple[str, ...]) -> bool:
    types = obj.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.endswith(suffixes) for t in names)
