"""OPML subscription lists: import them as sources, export the sources as one.

Read with lxml rather than listparser (the usual OPML library) because listparser drops outlines
it cannot use without saying so, and an operator importing a reader's export must learn which
entries were not imported and why. Each outline is judged on its own: a bad one is reported with
its line and the rest still go in.

The parser never fetches anything: no DTD, no external entity, no network, no ``include``
outline followed. Exports carry the standard OPML 2.0 attributes plus the target languages and
paused state in babelwire's own namespace, so that an export imports back as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from babelwire.exceptions import SourceError, StoreError
from babelwire.models import SourceInfo
from babelwire.publish.present import valid_lang
from babelwire.publish.sanitize import plain_text
from babelwire.store import Store

MAX_OPML_BYTES = 2_000_000
NAMESPACE = "urn:babelwire:opml:1"
_TARGETS = f"{{{NAMESPACE}}}targets"
_ACTIVE = f"{{{NAMESPACE}}}active"
MAX_URL = 2048
MAX_NAME = 300  # the store's limit for a source name
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9._-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


@dataclass(frozen=True)
class Outline:
    """A feed outline of an OPML file."""

    line: int
    name: str
    url: str
    folder: tuple[str, ...] = ()
    language: str = ""
    targets: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True)
class OutlineResult:
    """What became of one outline: ``added``, ``exists``, ``skipped`` or ``error``."""

    line: int
    name: str
    url: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class ImportReport:
    """The outcome of every outline of an imported file, in file order."""

    results: tuple[OutlineResult, ...]
    warning: str = ""

    def count(self, outcome: str) -> int:
        """How many outlines had ``outcome``."""
        return sum(1 for r in self.results if r.outcome == outcome)


def http_url(url: str) -> str:
    """Why ``url`` cannot be followed (not absolute http(s), too long), or ``""`` if it can."""
    if not url:
        return "no feed address"
    if len(url) > MAX_URL:
        return f"address longer than {MAX_URL} characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a valid address"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "not an http:// or https:// address"
    return ""


def _parse_xml(data: bytes) -> tuple[Any, str]:
    if len(data) > MAX_OPML_BYTES:
        raise SourceError(f"file larger than {MAX_OPML_BYTES // 1_000_000} MB",
                          subject="OPML file")
    if b"<!ENTITY" in data:
        # OPML never needs entity declarations; refusing them stops "billion laughs" expansion
        # (lxml expands internal entities even with resolve_entities off) and external entities.
        raise SourceError("the file declares XML entities, which an OPML list never needs",
                          subject="OPML file")
    options = {"resolve_entities": False, "no_network": True, "load_dtd": False,
               "remove_comments": True, "remove_pis": True}
    try:
        return lxml.etree.fromstring(data, lxml.etree.XMLParser(**options)), ""
    except lxml.etree.XMLSyntaxError as exc:
        error = str(exc)
    # Hand-edited lists often carry a bare "&" in a URL; libxml2's recovery would silently drop
    # the text after it ("?a=1&b=2" becomes "?a=1=2"), so such ampersands are escaped first.
    fixed, bare = _BARE_AMPERSAND.subn(b"&amp;", data)
    try:
        root = lxml.etree.fromstring(fixed, lxml.etree.XMLParser(**options))
        return root, f'the file is not well-formed XML: {bare} bare "&" read as "&amp;"'
    except lxml.etree.XMLSyntaxError:
        pass
    try:
        root = lxml.etree.fromstring(data, lxml.etree.XMLParser(recover=True, **options))
    except lxml.etree.XMLSyntaxError:
        root = None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise SourceError(f"not an OPML file ({error})", subject="OPML file")
    return root, f"the file is not well-formed XML ({error}); what could be read was imported"


def _attrs(element: Any) -> dict[str, str]:
    return {str(k).lower() if not str(k).startswith("{") else str(k): str(v).strip()
            for k, v in element.attrib.items()}


def _langs(value: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().lower() for c in value.split(",") if c.strip()))
    return codes if codes and all(valid_lang(c) for c in codes) else ()


def _judge(element: Any, folder: tuple[str, ...]) -> Outline | OutlineResult | None:
    """A feed outline, the error that stops it being one, or None for a folder or an empty one."""
    a = _attrs(element)
    line = element.sourceline or 0
    name = plain_text(a.get("text") or a.get("title") or "")[:MAX_NAME]
    kind = a.get("type", "").lower()
    if "xmlurl" in a:
        url = a["xmlurl"]
        problem = http_url(url)
        if problem:
            return OutlineResult(line, name, url, "error", problem)
        language = a.get("language", "").lower()
        return Outline(line, name or url, url, folder, language if valid_lang(language) else "",
                       _langs(a.get(_TARGETS, "")), a.get(_ACTIVE, "true").lower() != "false")
    if kind in ("link", "include"):
        return OutlineResult(line, name, a.get("url", ""), "error",
                             "a link to another list is not followed: import that file itself")
    if len(element):
        return None  # a folder: its outlines are judged one by one
    if kind in ("rss", "atom") or "htmlurl" in a:
        detail = "no xmlUrl (feed address)" + (f"; only a web page: {a['htmlurl']}"
                                               if a.get("htmlurl") else "")
        return OutlineResult(line, name, a.get("htmlurl", ""), "error", detail)
    return None


def _walk(parent: Any, folder: tuple[str, ...]) -> Iterator[Outline | OutlineResult]:
    for element in parent:
        if not isinstance(element.tag, str) or element.tag.lower() != "outline":
            continue
        judged = _judge(element, folder)
        if judged is not None:
            yield judged
        if len(element):
            name = plain_text(element.get("text") or element.get("title") or "")
            yield from _walk(element, (*folder, name))


def parse_opml(data: bytes) -> tuple[list[Outline | OutlineResult], str]:
    """Every feed outline of an OPML file, and an error for each outline that is not usable.

    Returns them in file order with a file-level warning (empty if the XML was well-formed).
    Raises ``SourceError`` only if the file as a whole is not OPML.
    """
    root, warning = _parse_xml(data)
    if not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise SourceError("not an OPML file (no <opml> root element)", subject="OPML file")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag.lower() == "body"), None)
    if body is None:
        raise SourceError("the OPML file has no <body>", subject="OPML file")
    return list(_walk(body, ())), warning


def _add(store: Store, outline: Outline, targets: Sequence[str],
         source_lang: str) -> OutlineResult:
    langs = outline.targets or tuple(targets)
    if not langs:
        return OutlineResult(outline.line, outline.name, outline.url, "error",
                             "no target language given")
    try:
        source, _ = store.add_source(outline.url, targets=langs, name=outline.name,
                                     source_lang=outline.language or source_lang)
        if not outline.active:
            store.set_source_active(source.id, False)
    except StoreError as exc:
        return OutlineResult(outline.line, outline.name, outline.url, "error", str(exc))
    state = "" if outline.active else ", paused"
    return OutlineResult(outline.line, outline.name, outline.url, "added",
                         f"source #{source.id} → {', '.join(langs)}{state}")


def import_opml(store: Store, data: bytes, *, targets: Sequence[str] = (),
                source_lang: str = "") -> ImportReport:
    """Follow every feed of an OPML file not followed yet, translated into ``targets`` (unless
    an outline names its own); one outline's failure never stops the others."""
    outlines, warning = parse_opml(data)
    known = {s.url: s.id for s in store.list_sources()}
    seen: dict[str, int] = {}
    results = []
    for outline in outlines:
        if isinstance(outline, OutlineResult):
            results.append(outline)
        elif outline.url in seen:
            results.append(OutlineResult(outline.line, outline.name, outline.url, "skipped",
                                         f"same feed as line {seen[outline.url]}"))
        elif outline.url in known:
            results.append(OutlineResult(outline.line, outline.name, outline.url, "exists",
                                         f"already followed as source #{known[outline.url]}"))
        else:
            seen[outline.url] = outline.line
            results.append(_add(store, outline, targets, source_lang))
    return ImportReport(tuple(results), warning)


def export_opml(sources: Sequence[SourceInfo], *, title: str, now: datetime) -> bytes:
    """An OPML 2.0 document listing ``sources``."""
    root = lxml.etree.Element("opml", version="2.0", nsmap={"babelwire": NAMESPACE})
    head = lxml.etree.SubElement(root, "head")
    lxml.etree.SubElement(head, "title").text = title
    lxml.etree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = lxml.etree.SubElement(root, "body")
    for source in sources:
        name = plain_text(source.name) or source.url
        outline = lxml.etree.SubElement(body, "outline", type="rss", text=name, title=name,
                                        xmlUrl=source.url)
        if source.source_lang:
            outline.set("language", source.source_lang)
        outline.set(_TARGETS, ",".join(source.targets))
        if not source.active:
            outline.set(_ACTIVE, "false")
    return bytes(lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     pretty_print=True))
