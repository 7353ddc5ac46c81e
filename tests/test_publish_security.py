"""Safe HTML out, security headers, and the API's rate limit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import lxml.html
import pytest

from babelwire.publish import create_app
from babelwire.publish.middleware import TokenBuckets
from babelwire.publish.sanitize import blocks, clean_html, plain_text, safe_url
from tests.helpers.site import FORBIDDEN, FilledSite, TestClient, site_settings
from tests.helpers.store import Filled


def assert_clean(text: str, where: str) -> None:
    """None of the forbidden patterns occurs in ``text``."""
    for pattern in FORBIDDEN:
        match = pattern.search(text)
        if match:
            context = text[max(0, match.start() - 80):match.end() + 80]
            pytest.fail(f"{where}: {pattern.pattern!r} found in {context!r}")


def hostile_outputs(client: TestClient, filled: Filled) -> Iterator[tuple[str, str]]:
    """(path, text) of every page, feed and API answer that carries the hostile article."""
    item, source = filled.hostile, filled.source_id
    paths = [f"/es/a/{item}", f"/es/a/{item}/bilingual", "/es/", f"/es/sources/{source}",
             "/es/sources/", "/sitemap.xml", "/api/v1/articles?lang=es",
             f"/api/v1/articles/{item}/es", "/api/v1/sources"]
    for base in ("/es/", f"/es/sources/{source}/"):
        paths += [base + name for name in ("feed.xml", "atom.xml", "feed.json")]
    for path in paths:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        yield path, response.text
        if "json" in response.headers["content-type"]:
            # Decoded, so that an escaped "\u003cscript" cannot hide from the patterns.
            yield path + " (decoded)", json.dumps(response.json(), ensure_ascii=False)


def test_hostile_content_reaches_no_page_feed_or_api(client: TestClient,
                                                     filled_site: FilledSite) -> None:
    seen = 0
    for path, text in hostile_outputs(client, filled_site.filled):
        assert_clean(text.replace("\\/", "/"), path)
        seen += "su propio módem" in text or "Apple" in text
    assert seen >= 10  # the hostile article really is in those outputs


def test_hostile_article_page_keeps_its_harmless_content(client: TestClient,
                                                         filled_site: FilledSite) -> None:
    doc = lxml.html.fromstring(client.get(f"/es/a/{filled_site.filled.hostile}",
                                          follow_redirects=True).content)
    body = doc.xpath("//div[@class='body']")[0]
    assert [a.get("href") for a in body.iter("a") if a.get("href")] == [
        "https://www.bloomberg.com/"]
    assert all(a.get("rel") == "nofollow noopener" for a in body.iter("a"))
    assert [img.get("src") for img in body.iter("img") if img.get("src")] == [
        "https://circuitdaily.example/chip.jpg"]
    assert "su propio módem" in body.text_content() and "artículo" in body.text_content()
    assert doc.xpath("string(//h1)") == "Apple módem"
    # The original URL was javascript: -- no link to it, but the site is still named.
    attribution = doc.xpath("//dl[@class='attribution']")[0]
    assert "Circuit Daily" in attribution.text_content()
    assert not attribution.xpath(".//a")


@pytest.mark.parametrize(("dirty", "clean"), [
    ('<p onclick="x()" style="color:red">a</p>', "<p>a</p>"),
    ('<p>a<script>alert(1)</script>b</p>', "<p>ab</p>"),
    # A link whose address is refused goes (a rel without an href is not HTML); its words stay.
    ('<a href="javascript:alert(1)">x</a>', "x"),
    ('<a href=" JAVASCRIPT:alert(1)">x</a>', "x"),
    ('<a href="java&#9;script:alert(1)">x</a>', "x"),
    ('<a href="data:text/html,<b>x</b>">x</a>', "x"),
    ('<img src="data:image/png;base64,AAAA" alt="a">', ''),  # an image without a source goes
    ('<a href="/news/2" target="_blank">x</a>',
     '<a href="https://site.example/news/2" rel="nofollow noopener">x</a>'),
    ('<a href="mailto:desk@site.example">x</a>',
     '<a href="mailto:desk@site.example" rel="nofollow noopener">x</a>'),
    ('<img src="/a.jpg">', '<img src="https://site.example/a.jpg" alt="">'),
    ('<iframe src="https://x.example"></iframe><form><input>ok</form><p>p</p>', "<p>p</p>"),
    ('<figure><img src="https://x.example/i.png" alt="i"><figcaption>c</figcaption></figure>',
     '<figure><img src="https://x.example/i.png" alt="i"><figcaption>c</figcaption></figure>'),
    ('<h1>t</h1><h2 id="x" class="y">s</h2><div><span>d</span></div>', "t<h2>s</h2>d"),
    ("<p>a\x00b\x0bc</p><!-- note -->", "<p>abc</p>"),
])
def test_clean_html_keeps_the_article_tag_set_only(dirty: str, clean: str) -> None:
    assert clean_html(dirty, "https://site.example/news/1") == clean


def test_clean_html_without_a_safe_base_drops_relative_urls() -> None:
    assert clean_html('<a href="/x">x</a>', "javascript:alert(1)") == "x"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://a.example/x", "https://a.example/x"), ("http://a.example", "http://a.example"),
    ("javascript:alert(1)", ""), ("data:image/png;base64,AA", ""), ("mailto:a@b", ""),
    ("//evil.example/x", ""), ("/relative", ""), ("", ""), ("https://", ""),
])
def test_safe_url_accepts_web_addresses_only(url: str, expected: str) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("AT&T buys <script>alert(1)</script>Time Warner", "AT&T buys Time Warner"),
    ("x < y and y > z", "x < y and y > z"), ("  two\nlines ", "two lines"),
    ('<img src=x onerror="alert(1)">Priya', "Priya"),
])
def test_plain_text_removes_smuggled_markup(text: str, expected: str) -> None:
    assert plain_text(text) == expected


def test_blocks_split_top_level_elements_and_wrap_loose_text() -> None:
    assert blocks("lead<p>a <em>b</em></p>tail<ul><li>1</li></ul><em>x</em>") == [
        "<p>lead</p>", "<p>a <em>b</em></p>", "<p>tail</p>", "<ul><li>1</li></ul>",
        "<p><em>x</em></p>"]


@pytest.mark.parametrize("path", ["/", "/es/", "/es/a/1", "/es/a/1/bilingual", "/es/feed.xml",
                                  "/es/feed.json", "/api/v1/articles?lang=es", "/openapi.json",
                                  "/sitemap.xml", "/robots.txt", "/healthz", "/static/site.css",
                                  "/nowhere", "/api/v1/articles?lang=%3Cx%3E"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path, follow_redirects=True).headers
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["style-src"] == "'self'"
    assert "script-src" not in directives and "unsafe" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["strict-transport-security"].startswith("max-age=")  # the site is https


def test_feeds_and_api_may_be_read_by_other_sites_pages_may_not(client: TestClient) -> None:
    for path in ("/es/feed.xml", "/es/atom.xml", "/es/feed.json", "/api/v1/sources"):
        assert client.get(path).headers["access-control-allow-origin"] == "*", path
    for path in ("/es/", "/sitemap.xml"):
        assert "access-control-allow-origin" not in client.get(path).headers, path


def test_pages_need_nothing_the_policy_forbids(client: TestClient,
                                               filled_site: FilledSite) -> None:
    """No inline script or style, no handler: the only script element is the JSON-LD data
    block, which browsers never execute and CSP therefore leaves alone."""
    chips = filled_site.filled.chips
    for path in ("/", "/es/", f"/es/a/{chips}", f"/es/a/{chips}/bilingual"):
        doc = lxml.html.fromstring(client.get(path, follow_redirects=True).content)
        for script in doc.xpath("//script"):
            assert script.get("type") == "application/ld+json" and not script.get("src")
            data: Any = json.loads(script.text)
            assert data["@type"] == "NewsArticle"
        assert not doc.xpath("//style | //*[@style]")
        assert not [a for el in doc.iter() if isinstance(el.tag, str)
                    for a in el.attrib if a.startswith("on")]


def test_http_site_sends_no_hsts(tmp_path_factory: pytest.TempPathFactory) -> None:
    settings = site_settings(tmp_path_factory.mktemp("http"), site_url="http://127.0.0.1:8000")
    with TestClient(create_app(settings)) as client:
        response = client.get("/")
    assert "strict-transport-security" not in response.headers
    assert response.headers["x-frame-options"] == "DENY"


def test_api_is_rate_limited_per_client(filled_site: FilledSite) -> None:
    app = create_app(filled_site.settings, filled_site.store, api_rate=0.001, api_burst=3)
    with TestClient(app) as client, TestClient(app, client=("203.0.113.9", 5000)) as other:
        answers = [client.get("/api/v1/articles?lang=es") for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        limited = answers[-1]
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json() == {"detail": "Too many requests: slow down."}
        assert limited.headers["content-security-policy"]
        assert client.get("/es/").status_code == 200  # pages are not limited
        assert other.get("/api/v1/articles?lang=es").status_code == 200


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0.0
    now[0] = 0.5
    assert buckets.take("a") == 0.0
    now[0] = 100.0  # never more than the burst saved up
    assert [buckets.take("a") for _ in range(3)][-1] > 0


def test_token_buckets_forget_the_oldest_clients() -> None:
    buckets = TokenBuckets(rate=0.001, burst=1, max_clients=2, clock=lambda: 0.0)
    for client in ("a", "b", "c"):
        assert buckets.take(client) == 0.0
    assert buckets.take("a") == 0.0  # "a" was forgotten, so it starts with a full bucket
    assert buckets.take("c") > 0
