"""Sanitising everything babelwire republishes: article HTML, URLs and plain text.

The store is not trusted: whatever HTML it holds goes through an nh3 allowlist on the way out,
the same allowlist as the extractor's article tag set. Links keep only http, https and mailto
targets and get ``rel="nofollow noopener"``; relative links are resolved against the original
article so that they still point where the author meant.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape
from typing import Literal
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3

ALLOWED_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "a", "em",
                          "strong", "figure", "img", "figcaption", "br", "code", "span"})
# ``span lang`` marks words a translation left in another language (``quality.words``).
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "span": {"lang"}}
_LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# Tags whose *content* goes too: nothing inside them is article text a reader should see.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "form", "object", "embed", "svg",
                               "math", "noscript", "template", "textarea", "select", "head",
                               "title"})
# Characters XML 1.0 forbids (and HTML treats as errors); feeds would not serialise with them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_PAGE_SCHEMES = frozenset({"http", "https"})


def clean_text(text: str) -> str:
    """Plain text without the control characters XML and HTML refuse."""
    return _INVALID_XML.sub("", text)


def safe_url(url: str, base: str = "") -> str:
    """``url`` made absolute against ``base`` if it is a http(s) address, else ``""``.

    Used for every URL that ends up in an attribute outside article bodies (original article link,
    images, canonical links), so that a ``javascript:`` or ``data:`` URL in the store never becomes
    a link.
    """
    url = clean_text(url).strip()
    if not url:
        return ""
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in _PAGE_SCHEMES or not parts.netloc:
        return ""
    return absolute


def clean_html(html: str, base_url: str = "", *, link_rel: str | None = LINK_REL) -> str:
    """Article HTML reduced to the allowlist; relative URLs resolved against ``base_url``.

    Links get ``rel="nofollow noopener"`` on the way out; HTML cleaned on its way *in* (an
    editor's text) passes ``link_rel=None`` so the store keeps the same markup the pipeline
    writes.
    """
    base = safe_url(base_url)
    relative: Literal["deny"] | tuple[Literal["rewrite_with_base"], str] = (
        ("rewrite_with_base", base) if base else "deny")
    cleaned = nh3.clean(clean_text(html), tags=set(ALLOWED_TAGS),
                        clean_content_tags=set(DROP_WITH_CONTENT),
                        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                        url_schemes=set(URL_SCHEMES), link_rel=link_rel, strip_comments=True,
                        url_relative=relative, attribute_filter=_attribute)
    return _ensure_alt(_drop_empty_targets(_unwrap_bare_spans(cleaned)))


def clean_marks(html: str) -> str:
    """A line of text whose only markup is ``<span lang>`` around words in another language (a
    translated title): everything else is dropped, its text kept."""
    return nh3.clean(clean_text(html), tags={"span"}, attributes={"span": {"lang"}},
                     clean_content_tags=set(DROP_WITH_CONTENT), strip_comments=True,
                     attribute_filter=_attribute)


# A link whose address was refused (``javascript:`` ...) keeps only its ``rel``: HTML wants an
# ``href`` with it, so the link goes and its words stay (a bare ``<a>``, as an editor's text
# is stored, is a valid placeholder and stays). An image without a usable ``src`` goes.
_LINK_WITHOUT_HREF = re.compile(r'<a rel="[^"]*">((?:(?!</a>).)*?)</a>', re.DOTALL)
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _drop_empty_targets(html: str) -> str:
    if "<a" in html:
        html = _LINK_WITHOUT_HREF.sub(r"\1", html)
    if "<img" in html:
        html = _IMG_WITHOUT_SRC.sub("", html)
    return html


_BARE_SPAN = re.compile(r"<span>((?:(?!<span[\s>]).)*?)</span>", re.DOTALL)


def _unwrap_bare_spans(html: str) -> str:
    """Only a ``span`` that says a language is kept; a bare one goes, its content stays."""
    while "<span>" in html:
        unwrapped = _BARE_SPAN.sub(r"\1", html)
        if unwrapped == html:        # a bare span around a marked one: unwrap the inner first
            break
        html = unwrapped
    return html


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Drop a ``lang`` that is not a language tag (the rest was already allowlisted)."""
    if name == "lang" and not _LANG_TAG.match(value):
        return None
    return value


def strip_tags(html: str) -> str:
    """The text of an HTML fragment, markup removed (entities stay escaped)."""
    return nh3.clean(clean_text(html), tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))


# Short fields (titles, names, notices, authors) come back on every page that lists them:
# their plain text is kept for the next pages. Longer texts are cleaned each time.
_MEMO_CHARS = 400


def plain_text(text: str, *, one_line: bool = True) -> str:
    """A text field (title, name, body text) with any markup smuggled into it removed.

    Text fields are plain text by contract, but the store is not trusted and API clients may
    paste them into HTML; ``x < y`` and ``AT&T`` survive, ``<script>...</script>`` does not.
    """
    if len(text) <= _MEMO_CHARS:
        return _plain_short(text, one_line)
    return _plain(text, one_line)


@lru_cache(maxsize=8192)
def _plain_short(text: str, one_line: bool) -> str:
    return _plain(text, one_line)


def _plain(text: str, one_line: bool) -> str:
    if "<" in text:
        text = unescape(strip_tags(text))
    text = clean_text(text)
    if one_line:
        return " ".join(text.split())
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _ensure_alt(html: str) -> str:
    # nh3 can only *overwrite* an attribute, never add a missing one, so images without alt text
    # get an empty one here (decorative to screen readers rather than read out as a file name).
    if "<img" not in html:
        return html
    nodes = lxml.html.fragments_fromstring(html)
    missing = [img for node in nodes if not isinstance(node, str)
               for img in node.iter("img") if img.get("alt") is None]
    for img in missing:
        img.set("alt", "")
    if not missing:
        return html
    return "".join(escape(node, quote=False) if isinstance(node, str)
                   else lxml.html.tostring(node, encoding="unicode") for node in nodes)


def blocks(html: str) -> list[str]:
    """The top-level blocks of a (sanitised) fragment, each serialised on its own.

    Loose text and inline elements at the top level are wrapped in a paragraph so that every
    block is one element a reader sees as a unit.
    """
    out: list[str] = []
    for node in lxml.html.fragments_fromstring(html):
        if isinstance(node, str):
            _add_text(out, node)
            continue
        block = lxml.html.tostring(node, encoding="unicode", with_tail=False)
        out.append(f"<p>{block}</p>" if node.tag in _INLINE else block)
        _add_text(out, node.tail or "")
    return out


_INLINE = frozenset({"a", "em", "strong", "code", "img", "br"})


def _add_text(out: list[str], text: str) -> None:
    if text.strip():
        out.append(f"<p>{escape(text.strip(), quote=False)}</p>")


def block_text(html: str) -> str:
    """The text of a (sanitised) fragment, one line per block (and per list item): the ``text``
    a translation keeps beside its HTML."""
    lines: list[str] = []
    for block in blocks(html):
        node = lxml.html.fragment_fromstring(block)
        items = node.findall("li") if node.tag in ("ul", "ol") else [node]
        lines += [" ".join(item.text_content().split()) for item in items]
    return "\n".join(line for line in lines if line)
