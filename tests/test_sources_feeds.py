"""parse_feed and looks_like_feed on the 25 real feeds, the 60 malformed ones and hostile XML."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from babelwire.exceptions import BabelwireError, FeedError
from babelwire.models import Feed
from babelwire.sources.charset import decode_xml
from babelwire.sources.feeds import looks_like_feed, parse_feed

FEEDS = Path(__file__).parent / "data" / "sources" / "feeds"
MANIFEST = json.loads((FEEDS / "manifest.json").read_text(encoding="utf-8"))
REAL = [r for r in MANIFEST if r["file"].startswith("real/")]
MALFORMED = sorted(r["file"] for r in MANIFEST if r["file"].startswith("malformed/"))
BASE = "https://news.example/feeds/main.xml"
UNSAFE_HTML = re.compile(
    r"<(?:script|iframe|object|embed)|\son\w+\s*="
    r"|(?:href|src)\s*=\s*[\"']?\s*(?:javascript|vbscript|data):",
    re.IGNORECASE,
)
MOJIBAKE = re.compile("Ã[\x80-\xbf]|â€|Â[\xa0-\xbf]|\ufffd")


def load(name: str) -> bytes:
    """Original bytes of a manifest file (real feeds are stored gzipped), checked by SHA-256."""
    path = FEEDS / name
    data = gzip.decompress((FEEDS / f"{name}.gz").read_bytes()) if not path.exists() \
        else path.read_bytes()
    record = next(r for r in MANIFEST if r["file"] == name)
    assert hashlib.sha256(data).hexdigest() == record["sha256"], f"{name} is not the original"
    return data


def assert_sane(feed: Feed) -> None:
    """What every parsed feed must satisfy, however bad its source."""
    for item in feed.items:
        assert re.match(r"https?://[^/\s]", item.url), item.url
        assert item.guid and item.guid.strip() == item.guid
        for stamp in (item.published, item.updated):
            assert stamp is None or stamp.tzinfo is not None
        assert not UNSAFE_HTML.search(item.content_html), item.content_html


# -- real feeds --------------------------------------------------------------------------------

# The one real feed whose entry count differs from its usable items: it holds an empty <item>
# (no title, no link), seen by reading the file.
EMPTY_ENTRIES = {"real/rss2/fr/lecerclepsy-undeclared-iso-8859-1.xml": 1}
NOT_A_FEED = "real/jsonfeed/en/scriptingnews-rss-in-json.json"


@pytest.mark.parametrize("record", [r for r in REAL if r["file"] != NOT_A_FEED],
                         ids=lambda r: r["file"])
def test_real_feed_parses_with_every_item(record: dict[str, Any]) -> None:
    feed = parse_feed(load(record["file"]), BASE)
    assert len(feed.items) == record["items"] - EMPTY_ENTRIES.get(record["file"], 0)
    assert_sane(feed)
    assert feed.title and feed.format.split()[0] in record["format"]
    assert len({item.guid for item in feed.items}) == len(feed.items)
    for item in feed.items:
        assert item.title and not MOJIBAKE.search(item.title), item.title
        assert not MOJIBAKE.search(item.summary), item.summary[:80]
    if feed.language:
        assert feed.language.split("-")[0] == record["lang"]


@pytest.mark.parametrize("name", [
    "real/rss2/fr/lecerclepsy-undeclared-iso-8859-1.xml",
    "real/rss2/pt/uol-noticias-2018-undeclared-latin1.rss",
    "real/rss2/pt/jn-ultimas-2018-iso-8859-1.rss",
    "real/rss2/de/golem-2018-iso-8859-1.xml",
])
def test_latin1_feeds_give_correct_unicode_titles(name: str) -> None:
    raw = load(name)
    feed = parse_feed(raw, BASE)
    # Oracle independent of our decoding: the title elements read as Latin-1, entities and
    # CDATA markers removed, whitespace collapsed.
    expected = {" ".join(re.sub(r"<!\[CDATA\[|\]\]>", "", t.decode("latin-1")).split())
                for t in re.findall(rb"<title>(.*?)</title>", raw, re.DOTALL)}
    accented = [item.title for item in feed.items if re.search("[à-ü]", item.title)]
    assert accented, "expected accented titles in a Latin-1 feed"
    for title in accented:
        if "&" not in title:
            assert title in expected, title


def test_known_titles_and_dates() -> None:
    feed = parse_feed(load("real/rss2/fr/lemonde-une-2024.xml"), BASE)
    first = feed.items[0]
    assert first.title == ("En Ukraine, la russification à marche forcée des territoires "
                           "occupés")
    assert first.published is not None
    assert first.published.isoformat() == "2024-01-18T05:00:16+00:00"
    assert first.version == first.published.isoformat()
    assert feed.language == "fr" and feed.format == "RSS 2.0"
    atom = parse_feed(load("real/atom/en/daringfireball-2017.atom"), BASE)
    assert atom.items[0].updated is not None and atom.items[0].version.startswith("2017-06-27")
    assert atom.items[0].content_html.startswith("<p>New episode of America")
    json_feed = parse_feed(load("real/jsonfeed/de/journal-3960.json"), BASE)
    assert json_feed.format == "JSON Feed 1.1" and json_feed.language == "de-de"
    assert json_feed.items[0].author == "Frank Boës"


def test_three_letter_language_codes_become_two() -> None:
    assert parse_feed(load("real/rss2/es/minutouno-mundo-2017.xml"), BASE).language == "es"


def test_rss_serialised_as_json_is_not_a_json_feed() -> None:
    raw = load(NOT_A_FEED)
    with pytest.raises(FeedError, match="not a JSON Feed") as excinfo:
        parse_feed(raw, BASE)
    assert excinfo.value.subject == BASE
    assert not looks_like_feed(raw, "application/json")


@pytest.mark.parametrize("record", REAL, ids=lambda r: r["file"])
def test_looks_like_feed_on_real_feeds(record: dict[str, Any]) -> None:
    assert looks_like_feed(load(record["file"])) is (record["file"] != NOT_A_FEED)


@pytest.mark.parametrize("page, content_type", [
    (b"<!DOCTYPE html>\n<html lang='fr'><head><title>Le Monde</title></head><body></body></html>",
     "text/html; charset=utf-8"),
    (b"\n  <html><body><p>rss feed</p></body></html>", ""),
    (b'{"data": [1, 2, 3]}', "application/json"),
    (b"", "application/rss+xml"),
])
def test_web_pages_do_not_look_like_feeds(page: bytes, content_type: str) -> None:
    assert not looks_like_feed(page, content_type)


# -- the 60 malformed cases --------------------------------------------------------------------

# What each file should give, read from the file itself (its Description and content): a Feed
# (with these properties) or a FeedError. Entries with no link at all cannot be followed, so a
# document whose entries all lack one is an error; a document with no entries is an empty feed.
FEED_OK: dict[str, dict[str, Any]] = {
    "feedparser/encoding/bozo_bogus_encoding.xml": {"items": 0},
    "feedparser/encoding/bozo_http_text_plain.xml": {"items": 0},
    "feedparser/encoding/euc-kr.xml": {"title": "\ub144"},
    "feedparser/encoding/http_i18n.xml": {"title": "Iñtërnâtiônàlizætiøn"},
    "feedparser/encoding/http_text_xml_charset_overrides_encoding.xml": {"items": 0},
    "feedparser/encoding/utf-16be-autodetect.xml": {"items": 0},
    "feedparser/encoding/utf-16le-bom.xml": {"items": 0},
    "feedparser/encoding/utf-32le-bom.xml": {"items": 0},
    "feedparser/encoding/utf-8-bom.xml": {"items": 0},
    "feedparser/entities/eacute.xml": {"title": "testing \xe9 entity"},
    "feedparser/entities/hellip.xml": {"title": "testing \u2026 entity"},
    "feedparser/entities/nbsp.xml": {"title": "testing entity"},  # whitespace is collapsed
    "feedparser/entities/query_variable_entry.xml": {"links": ["http://example/?a=1&b=2&c"]},
    "feedparser/illformed/always_strip_doctype.xml": {"title": "found"},
    "feedparser/illformed/chardet/big5.xml": {"title_has": "中文"},
    "feedparser/illformed/http_high_bit_date.xml": {"items": 0},
    "feedparser/illformed/rss_item_link_corrupted_ampersands.xml":
        {"links": ["http://link/get?a=1&b=2"]},
    "feedparser/json/example.json": {"title": "My Example Feed", "items": 2},
    "feedparser/wellformed/base/feed_link_xml_base_iri.xml": {"items": 0},
    "miniflux/encoding/windows-1252-incorrect-prolog.xml": {"title": "Euro €"},
    "miniflux/encoding/windows-1252.xml": {"title": "Euro €"},
    "miniflux/xml/koi8r.xml": {"title": "Пример RSS ленты", "items": 2,
                               "links": ["http://example.com/post1", "http://example.com/post2"]},
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_feed_parses_sanely_or_is_a_feed_error(name: str) -> None:
    raw = load(name)
    key = name.removeprefix("malformed/")
    try:
        feed = parse_feed(raw, BASE)
    except FeedError as exc:
        assert key not in FEED_OK, f"{key} should parse: {exc}"
        assert exc.subject == BASE and str(exc).startswith(BASE)
        return
    assert key in FEED_OK, f"{key} should be refused, got {feed}"
    assert_sane(feed)
    expected = FEED_OK[key]
    assert feed.title == expected.get("title", feed.title)
    assert expected.get("title_has", "") in feed.title
    assert len(feed.items) == expected.get("items", len(feed.items))
    assert [item.url for item in feed.items] == expected.get("links", [i.url for i in feed.items])


def test_malformed_set_is_complete() -> None:
    assert len(MALFORMED) == 60 and len(REAL) == 25


@pytest.mark.parametrize("name, codec, sample", [
    ("feedparser/illformed/chardet/koi8r.xml", "koi8-r", None),
    ("feedparser/illformed/chardet/windows1255.xml", "cp1255", None),
    ("feedparser/illformed/chardet/shiftjis.xml", "shift_jis", None),
    ("feedparser/illformed/chardet/big5.xml", "big5", None),
    ("miniflux/xml/koi8r.xml", "koi8-r", None),
    ("miniflux/encoding/invalid-prolog.xml", "utf-8", "Café"),
    ("miniflux/encoding/utf8-incorrect-prolog.xml", "utf-8", "Café"),
    ("miniflux/xml/iso88591_utf8_mismatch.xml", "latin-1", "Jürgen"),
    ("feedparser/encoding/demoronize-1.xml", "utf-8", "don\u2019t"),
])
def test_undeclared_and_wrong_encodings_are_decoded(name: str, codec: str,
                                                    sample: str | None) -> None:
    """The title text comes out as the encoding the file's description names, not mojibake."""
    raw = load(f"malformed/{name}")
    text, _ = decode_xml(raw)
    titles = re.findall(r"<(?:title|description)>([^<]*)<", raw.decode(codec))
    assert titles or sample
    for title in titles if sample is None else [sample]:
        title = title.replace("\x92", "\u2019").strip()
        assert title in text, title


# From the Expect line of each sanitize case: what remains of the hostile markup once cleaned.
# ``content_html`` is the entry's full content, ``summary`` the description as plain text.
SANITIZED = {
    "entry_content_script.xml": ("content_html", "safe description"),
    "entry_content_script_base64.xml": ("content_html", "safe description"),
    "entry_content_object.xml": ("content_html", "safe <b>description</b>"),
    "item_content_encoded_script_nested_cdata.xml": ("content_html", "&lt;![CDATA[]]&gt;"),
    "item_description_script_cdata.xml": ("summary", "safe description"),
    "item_description_iframe.xml": ("summary", "safe description"),
    "item_description_onerror.xml": ("summary", ""),  # the <img> is all there is: no text
    "item_description_style.xml": ("summary", "never trust your upstream platypus"),
    "entry_content_crazy.xml": ("content_html", None),
}


@pytest.mark.parametrize("name", [n for n in MALFORMED if "/sanitize/" in n])
def test_hostile_content_is_sanitised(name: str) -> None:
    """The sanitize cases have no item link; with one added, their content must come out clean."""
    text = load(name).decode("utf-8")
    if "<item>" in text:
        text = text.replace("<item>", "<item><link>http://example.com/a</link>", 1)
    else:
        text = text.replace("<entry>", '<entry><link rel="alternate" href="http://example.com/a"/>',
                            1)
    feed = parse_feed(text.encode("utf-8"), BASE)
    assert len(feed.items) == 1
    assert_sane(feed)
    item = feed.items[0]
    field, expected = SANITIZED[name.rsplit("/", 1)[1]]
    if expected is not None:
        assert getattr(item, field) == expected
    assert "location.href" not in item.content_html + item.summary
    assert not re.search(r"style=|onerror|onload|<body|<head", item.content_html, re.I)


# -- hostile XML -------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://example.com/a</link></item></channel></rss>
"""

HOSTILE = {
    "billion laughs": BILLION_LAUGHS,
    "billion laughs on one line": BILLION_LAUGHS.replace(b"\n", b""),
    "billion laughs in UTF-16": BILLION_LAUGHS.decode().encode("utf-16"),
    "external entity": b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><link>http://example.com/a</link></item></channel></rss>""",
    "parameter entity": b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<rss version="2.0"><channel><item><link>http://example.com/a</link></item></channel></rss>""",
    "entity declared lower case": b"""<!doctype rss [<!entity a "b">]>
<rss version="2.0"><channel><item><link>http://example.com/a</link></item></channel></rss>""",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_entity_declarations_are_refused(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(FeedError, match="entities") as excinfo:
        parse_feed(HOSTILE[name], BASE)
    assert excinfo.value.subject == BASE and time.monotonic() - started < 1


def test_entity_text_inside_cdata_is_harmless() -> None:
    doc = b"""<rss version="2.0"><channel><item><title>XML security</title>
<link>http://example.com/a</link>
<description><![CDATA[Never accept <!ENTITY lol "lol"> from strangers.]]></description>
</item></channel></rss>"""
    feed = parse_feed(doc, BASE)
    assert "Never accept" in feed.items[0].summary


@pytest.fixture
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    """A local server that records any request: a parser fetching a DTD would show up here."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY title "pwned">')

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/evil.dtd", hits
    httpd.shutdown()
    httpd.server_close()


def test_external_dtd_is_never_fetched(dtd_server: tuple[str, list[str]]) -> None:
    dtd_url, hits = dtd_server
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{dtd_url}">
<rss version="2.0"><channel><title>Safe</title>
<item><title>One</title><link>http://example.com/a</link></item></channel></rss>"""
    feed = parse_feed(doc.encode(), BASE)
    assert feed.title == "Safe" and [i.title for i in feed.items] == ["One"]
    assert hits == []


def test_unsafe_and_relative_links() -> None:
    doc = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://site.example/news/">
<title>Links</title>
<entry><id>tag:s,2024:1</id><title>script</title><link href="javascript:alert(1)"/></entry>
<entry><id>tag:s,2024:2</id><title>data</title><link href="data:text/html,&lt;script&gt;x"/></entry>
<entry><id>tag:s,2024:3</id><title>relative</title><link href="2024/story.html"/></entry>
<entry><id>tag:s,2024:4</id><title>rooted</title><link href="/other/story.html"/></entry>
<entry><id>tag:s,2024:5</id><title>vbscript</title><link href=" VBScript:msgbox(1)"/></entry>
<entry xml:base="http://mirror.example/a/">
<id>tag:s,2024:6</id><title>based</title><link href="b.html"/></entry>
</feed>"""
    feed = parse_feed(doc, BASE)
    assert {item.title: item.url for item in feed.items} == {
        "relative": "https://site.example/news/2024/story.html",
        "rooted": "https://site.example/other/story.html",
        "based": "http://mirror.example/a/b.html",
    }
    assert [item.guid for item in feed.items] == [f"tag:s,2024:{n}" for n in (3, 4, 6)]


def test_rss_relative_links_resolve_against_the_feed_url() -> None:
    doc = b"""<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>/2024/01/a.html</link><guid isPermaLink="false">a-1</guid>
<description>&lt;a href="b.html"&gt;b&lt;/a&gt;</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[
<p>See <a href="c.html" onclick="x()">c</a></p>]]></content:encoded></item>
</channel></rss>"""
    item = parse_feed(doc, BASE).items[0]
    assert item.url == "https://news.example/2024/01/a.html" and item.guid == "a-1"
    assert item.content_html == '<p>See <a href="https://news.example/feeds/c.html">c</a></p>'
    assert item.summary == "b"


@pytest.mark.parametrize("doc", [
    b"", b"   \n", b"\x00\x01\x02\xff\xfe", b"<html><body>Moved</body></html>",
    b"{not json", b"[1, 2]", b"[" * 100_000, b'{"version": "https://jsonfeed.org/version/1"}',
    b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": 1, "url": "javascript:x"}]}',
])
def test_garbage_is_a_feed_error_never_a_crash(doc: bytes) -> None:
    with pytest.raises(BabelwireError) as excinfo:
        parse_feed(doc, BASE)
    assert isinstance(excinfo.value, FeedError)


def test_truncated_feed_with_usable_entries_is_accepted() -> None:
    """A recoverable error (here a download cut short) keeps the entries that were read."""
    whole = load("real/rss2/es/clarin-mundo-2017.xml")
    cut = whole[: whole.rindex(b"<item>")]
    feed = parse_feed(cut, BASE)
    assert len(feed.items) == 9 and feed.title == "Clarin.com - Mundo"


def test_http_charset_and_mislabelled_type() -> None:
    """The HTTP charset decodes an undeclared feed; a wrong JSON label does not stop XML."""
    raw = load("real/rss2/fr/lecerclepsy-undeclared-iso-8859-1.xml")
    feed = parse_feed(raw, BASE, content_type="text/xml; charset=ISO-8859-1")
    assert "Psychologue à domicile : de la clinique à l'état brut" in [i.title for i in feed.items]
    golem = parse_feed(load("real/rss2/de/golem-2018-iso-8859-1.xml"), BASE,
                       content_type="application/json")
    assert len(golem.items) == 40


def test_repeated_entries_are_kept_once() -> None:
    doc = b"""<rss version="2.0"><channel><title>t</title>
<item><title>first</title><link>http://a.example/1</link><guid>g1</guid></item>
<item><title>again</title><link>http://a.example/1</link><guid>g1</guid></item>
<item><title>second</title><link>http://a.example/2</link></item>
</channel></rss>"""
    feed = parse_feed(doc, BASE)
    assert [(i.guid, i.title) for i in feed.items] == [("g1", "first"),
                                                       ("http://a.example/2", "second")]
