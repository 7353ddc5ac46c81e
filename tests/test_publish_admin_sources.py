"""Sources from the admin pages and the command line: add, pause, resume, remove, and OPML
import (real reader exports, one bad outline never stops the others) and export (round trip)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner

from babelwire.cli.common import AppContext
from babelwire.cli.opml import opml
from babelwire.exceptions import SourceError
from babelwire.publish import create_app
from babelwire.publish.opml import export_opml, import_opml, parse_opml
from babelwire.store import Store
from babelwire.store.tables import utcnow
from tests.helpers.site import BASE, FilledSite, TestClient, sign_in

DATA = Path(__file__).parent / "data" / "browser"
FEEDLY = DATA / "feedly-id-news.opml"
READER = DATA / "newsreader-export.opml"
HAND = DATA / "hand-edited.opml"


def outcomes(report: Any) -> list[tuple[int, str, str]]:
    """(line, outcome, url) of every outline of an import report."""
    return [(r.line, r.outcome, r.url) for r in report.results]


def test_a_real_feedly_export_imports_every_feed(store: Store) -> None:
    report = import_opml(store, FEEDLY.read_bytes(), targets=["es", "fr"])
    assert report.warning == "" and report.count("added") == 4 == len(report.results)
    sources = {s.url: s for s in store.list_sources()}
    cdc = sources["http://www2c.cdc.gov/podcasts/createrss.asp?t=r&c=183"]  # &amp; decoded
    assert cdc.name == "CDC Online Newsroom" and cdc.targets == ("es", "fr") and cdc.active
    again = import_opml(store, FEEDLY.read_bytes(), targets=["es"])
    assert again.count("exists") == 4 and len(store.list_sources()) == 4
    assert store.get_source(cdc.id) == cdc  # an existing source is left as it was


def test_each_bad_outline_is_reported_and_the_rest_imported(store: Store) -> None:
    report = import_opml(store, READER.read_bytes(), targets=["en"])
    assert outcomes(report) == [
        (12, "added", "https://www.clarin.com/rss/lo-ultimo/"),
        (13, "added", "https://www.ambito.com/rss/pages/home.xml"),
        (15, "error", "https://www.rtve.es/noticias/"),
        (18, "added", "https://www.lemonde.fr/rss/une.xml"),
        (19, "added", "https://www.francetvinfo.fr/titres.rss"),  # lower-case xmlurl
        (20, "skipped", "https://www.lemonde.fr/rss/une.xml"),
        (21, "error", "javascript:alert(document.cookie)"),
        (24, "added", "http://feeds.bbci.co.uk/news/world/rss.xml"),
        (25, "error", "/feed.xml"),
        (26, "error", "https://example.org/lists/tech.opml"),
    ]
    details = {r.line: r.detail for r in report.results}
    assert "no xmlUrl" in details[15] and details[20] == "same feed as line 18"
    assert "not an http" in details[21] and "not followed" in details[26]
    langs = {s.url: s.source_lang for s in store.list_sources()}
    assert langs["https://www.clarin.com/rss/lo-ultimo/"] == "es"
    assert langs["https://www.lemonde.fr/rss/une.xml"] == "fr"
    assert langs["https://www.ambito.com/rss/pages/home.xml"] == ""


def test_a_bare_ampersand_is_read_as_meant(store: Store) -> None:
    report = import_opml(store, HAND.read_bytes(), targets=["en"])
    assert 'bare "&"' in report.warning
    assert [r.url for r in report.results] == [
        "https://www.europapress.es/rss/rss.aspx?ch=00066&format=xml",
        "https://www.pagina12.com.ar/rss/portada"]


def test_without_target_languages_each_feed_says_so(store: Store) -> None:
    report = import_opml(store, FEEDLY.read_bytes())
    assert report.count("error") == 4 and store.list_sources() == []
    assert {r.detail for r in report.results} == {"no target language given"}


@pytest.mark.parametrize("data", [
    b"", b"not xml", b"<rss version='2.0'><channel/></rss>", b"<opml><head/></opml>",
    b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<opml><body><outline text="&x;" xmlUrl="https://a.example/f"/></body></opml>',
    b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<opml><body><outline text="&b;" xmlUrl="https://a.example/f"/></body></opml>',
    b"<opml>" + b"x" * 2_000_001 + b"</opml>"])
def test_files_that_are_not_opml_are_refused_whole(store: Store, data: bytes) -> None:
    with pytest.raises(SourceError):
        import_opml(store, data, targets=["en"])
    assert store.list_sources() == []


def test_export_imports_back_as_it_was(store: Store, tmp_path: Path) -> None:
    import_opml(store, READER.read_bytes(), targets=["en", "fr"])
    paused = store.list_sources()[1]
    store.set_source_active(paused.id, False)
    exported = export_opml(store.list_sources(), title="Babelwire sources", now=utcnow())
    doc = lxml.etree.fromstring(exported)
    assert doc.get("version") == "2.0" and doc.findtext("head/title") == "Babelwire sources"
    assert len(doc.findall("body/outline")) == 5
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        report = import_opml(other, exported, targets=["de"])
        assert report.count("added") == 5 and report.warning == ""
        strip = [(s.url, s.name, s.targets, s.source_lang, s.active) for s in other.list_sources()]
        assert strip == [(s.url, s.name, s.targets, s.source_lang, s.active)
                         for s in store.list_sources()]
    finally:
        other.close()
    assert parse_opml(exported)[1] == ""


@pytest.fixture
def admin(fresh_site: FilledSite) -> Iterator[tuple[TestClient, Store, str]]:
    """A signed-in editor on a filled store: (client, store, form token)."""
    settings, store, _ = fresh_site
    _, secret = store.create_token("alice")
    with TestClient(create_app(settings, store), base_url=BASE) as client:
        yield client, store, sign_in(client, secret)


def test_sources_page_adds_pauses_resumes_and_removes(admin: tuple[TestClient, Store, str]
                                                      ) -> None:
    client, store, csrf = admin
    added = client.post("/admin/sources/add", follow_redirects=True, data={
        "csrf": csrf, "url": "https://www.lemonde.fr/rss/une.xml", "targets": "en, ES",
        "name": "Le Monde <b>à la une</b>", "source_lang": "fr"})
    assert added.status_code == 200 and "Source added" in added.text
    source = next(s for s in store.list_sources() if "lemonde" in s.url)
    assert (source.targets, source.name, source.source_lang) == (("en", "es"), "Le Monde à la une",
                                                                 "fr")
    row = lxml.html.fromstring(added.content).xpath(
        f"//tr[.//form[@action='/admin/sources/{source.id}/pause']]")
    assert row and "Le Monde à la une" in row[0].text_content()
    for action, active, word in (("pause", False, "paused"), ("resume", True, "resumed")):
        done = client.post(f"/admin/sources/{source.id}/{action}", data={"csrf": csrf},
                           follow_redirects=True)
        assert f"Source {word}" in done.text
        current = store.get_source(source.id)
        assert current is not None and current.active is active
    refused = client.post(f"/admin/sources/{source.id}/remove", data={"csrf": csrf})
    assert refused.status_code == 400 and store.get_source(source.id) is not None
    removed = client.post(f"/admin/sources/{source.id}/remove", follow_redirects=True,
                          data={"csrf": csrf, "confirm": "yes"})
    assert "Source removed" in removed.text and store.get_source(source.id) is None
    assert client.post("/admin/sources/999999/pause", data={"csrf": csrf}).status_code == 404


@pytest.mark.parametrize(("fields", "error"), [
    ({"url": "javascript:alert(1)", "targets": "en"}, "not an http"),
    ({"url": "https://a.example/feed", "targets": ""}, "target languages"),
    ({"url": "https://a.example/feed", "targets": "en, <b>"}, "target languages"),
    ({"url": "https://a.example/feed", "targets": "en", "source_lang": "spanish!"},
     "source language")])
def test_bad_sources_are_refused_with_the_reason(admin: tuple[TestClient, Store, str],
                                                 fields: dict[str, str], error: str) -> None:
    client, store, csrf = admin
    before = store.list_sources()
    response = client.post("/admin/sources/add", data={"csrf": csrf, **fields})
    assert response.status_code == 400
    assert error in lxml.html.fromstring(response.content).xpath(
        "string(//p[@class='error'])")
    assert store.list_sources() == before


def test_opml_upload_reports_every_outline(admin: tuple[TestClient, Store, str]) -> None:
    client, store, csrf = admin
    response = client.post("/admin/sources/import", data={"csrf": csrf, "targets": "en"},
                           files={"file": ("subscriptions.opml", READER.read_bytes(),
                                           "text/x-opml")})
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    rows = doc.xpath("//table[@class='import']/tbody/tr")
    assert [r.get("class") for r in rows].count("outcome-error") == 4
    assert len(rows) == 10 and "5 added" in doc.xpath("string(//p[@role='status'])")
    assert "javascript:alert(document.cookie)" in rows[6].text_content()
    assert any("lemonde" in s.url for s in store.list_sources())
    broken = client.post("/admin/sources/import", data={"csrf": csrf, "targets": "en"},
                         files={"file": ("x.opml", b"<html/>", "text/html")})
    assert broken.status_code == 400 and "Nothing imported" in broken.text


def test_opml_export_downloads_every_source(admin: tuple[TestClient, Store, str]) -> None:
    client, store, _ = admin
    response = client.get("/admin/sources.opml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-opml")
    assert "attachment" in response.headers["content-disposition"]
    urls = [o.get("xmlUrl") for o in lxml.etree.fromstring(response.content).iter("outline")]
    assert urls == [s.url for s in store.list_sources()]


def test_opml_commands_import_and_export(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(opml, ["import", str(READER), "--to", "en,fr"],
                           obj=AppContext(home=None))
    assert result.exit_code == 0, result.output
    assert "line 21: error: Broken bookmarklet <javascript:alert(document.cookie)>" in \
        result.stdout
    assert "5 added, 0 already followed, 1 duplicate(s), 4 error(s)." in result.stdout
    out = tmp_path / "export.opml"
    result = runner.invoke(opml, ["export", "-o", str(out)], obj=AppContext(home=None))
    assert result.exit_code == 0
    assert len(lxml.etree.fromstring(out.read_bytes()).findall("body/outline")) == 5
    bad = runner.invoke(opml, ["import", str(READER), "--to", "english"],
                        obj=AppContext(home=None))
    assert bad.exit_code == 2
