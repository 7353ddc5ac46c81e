"""The local server that plays the bundled sample sites behaves like a real news site."""

from __future__ import annotations

import json

import feedparser
import httpx
import pytest

from babelwire.demo.sites import SampleSitesServer, load_sites


def test_the_sample_covers_three_sites_two_languages_twenty_articles() -> None:
    sites = load_sites()
    assert len(sites) >= 3
    assert len({s.lang for s in sites}) >= 2
    assert sum(s.pages for s in sites) >= 20
    assert {t for s in sites for t in s.targets} | {s.lang for s in sites} >= {"en", "es", "fr"}


def test_every_feed_lists_pages_the_server_serves(sample_sites: SampleSitesServer) -> None:
    for site in load_sites():
        response = httpx.get(sample_sites.feed_url(site))
        assert response.status_code == 200
        if site.feed.endswith(".json"):
            links = [i["url"] for i in json.loads(response.text)["items"]]
        else:
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, parsed.get("bozo_exception")
            links = [e.link for e in parsed.entries]
        assert len(links) == site.pages
        for link in links:
            assert link.startswith(sample_sites.base)
            page = httpx.get(link)
            assert page.status_code == 200 and b"<html" in page.content[:5000].lower()


def test_conditional_get_answers_304(sample_sites: SampleSitesServer) -> None:
    site = load_sites()[0]
    first = httpx.get(sample_sites.feed_url(site))
    again = httpx.get(sample_sites.feed_url(site), headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("path", ["/prensa/../sites.json", "/nope/x.html", "/sites.json", "/a/b/c"])
def test_nothing_outside_the_sites_is_served(sample_sites: SampleSitesServer, path: str) -> None:
    assert httpx.get(sample_sites.base + path).status_code == 404


def test_robots_allows_everything(sample_sites: SampleSitesServer) -> None:
    response = httpx.get(sample_sites.base + "/robots.txt")
    assert response.status_code == 200 and "Allow: /" in response.text
