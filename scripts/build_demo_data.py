"""Build the demo's bundled sample sites from real saved news pages.

Run once by a maintainer (the output is committed): ``python scripts/build_demo_data.py [DATA]``.
DATA defaults to ../shared/data. Each demo site is a set of real saved article pages from
``DATA/pages`` (byte-for-byte, gzip-compressed) plus a feed listing them. The shared data has no
saved feed whose item pages were saved too, so each site's feed is written here from the pages'
own metadata, in a different real format per site (RSS 2.0, Atom 1.0, JSON Feed 1.1), with links
written as ``{base}/...`` for the demo server to fill in with its own address.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TypedDict
from xml.sax.saxutils import escape

import trafilatura
from dateutil.parser import isoparse

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "babelwire" / "demo" / "data"


class Site(TypedDict):
    slug: str
    name: str
    lang: str
    format: str
    targets: list[str]
    pages: list[str]


SITES: list[Site] = [
    {"slug": "prensa", "name": "Prensa del Sur (muestra)", "lang": "es", "format": "rss",
     "targets": ["en", "fr"],
     "pages": ["es-lanacion-mapuche", "es-elmundo-2012", "es-ultimahora-infanta",
               "es-elespectador-jep", "es-elcomercio-fujimori", "es-pagina12-suprema",
               "es-cnet-twitter-lite", "es-infobae-ucrania"]},
    {"slug": "presse", "name": "La Presse francophone (échantillon)", "lang": "fr",
     "format": "atom", "targets": ["en", "es"],
     "pages": ["fr-liberation-nepal", "fr-lefigaro-montebourg", "fr-liberation-ayrault",
               "fr-ledevoir-trottinettes", "fr-tdg-chlorothalonil", "fr-radiocz-ministre",
               "fr-lapressetn-parite", "fr-sciencesetavenir-rumeur"]},
    {"slug": "wire", "name": "World Wire (sample)", "lang": "en", "format": "json",
     "targets": ["es", "fr"],
     "pages": ["en-bbc-gun-laws", "en-nytimes-sudan", "en-telegraph-zimbabwe",
               "en-cnn-birth-lottery", "en-bbc-52241221", "en-vancouversun-microsoft",
               "en-reuters-parasite"]},
]


def page_entry(pages: Path, name: str) -> dict[str, str]:
    origin = json.loads((pages / name / "origin.json").read_text())
    meta = trafilatura.extract_metadata((pages / name / "source.html").read_bytes())
    date = meta.date if meta and meta.date else "2020-01-01"
    return {"slug": name, "title": (meta.title if meta and meta.title else name),
            "date": isoparse(date).strftime("%Y-%m-%dT08:00:00+00:00"), "original_url": origin["url"],
            "site": origin["site"], "origin_repo": origin["origin_repo"],
            "origin_commit": origin["origin_commit"],
            "origin_path": origin["origin_files"]["source.html"],
            "licence": origin["origin_licence"]}


def rss(site: Site, entries: list[dict[str, str]]) -> str:
    items = "".join(
        f"<item><title>{escape(e['title'])}</title><link>{{base}}/{site['slug']}/{e['slug']}.html</link>"
        f"<guid isPermaLink=\"false\">urn:babelwire-demo:{e['slug']}</guid>"
        f"<pubDate>{format_datetime(isoparse(e['date']))}</pubDate></item>\n" for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{escape(site['name'])}</title><link>{{base}}/{site['slug']}/</link>"
            f"<description>{escape(site['name'])}</description><language>{site['lang']}</language>\n"
            f"{items}</channel></rss>\n")


def atom(site: Site, entries: list[dict[str, str]]) -> str:
    items = "".join(
        f"<entry><title>{escape(e['title'])}</title>"
        f"<link rel=\"alternate\" href=\"{{base}}/{site['slug']}/{e['slug']}.html\"/>"
        f"<id>urn:babelwire-demo:{e['slug']}</id><updated>{e['date']}</updated></entry>\n"
        for e in entries)
    newest = max(e["date"] for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{site['lang']}\">"
            f"<title>{escape(site['name'])}</title><id>urn:babelwire-demo:{site['slug']}</id>"
            f"<updated>{newest}</updated><link rel=\"alternate\" href=\"{{base}}/{site['slug']}/\"/>"
            f"<author><name>{escape(site['name'])}</name></author>\n{items}</feed>\n")


def jsonfeed(site: Site, entries: list[dict[str, str]]) -> str:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": site["name"],
            "home_page_url": f"{{base}}/{site['slug']}/",
            "feed_url": f"{{base}}/{site['slug']}/feed.json", "language": site["lang"],
            "items": [{"id": f"urn:babelwire-demo:{e['slug']}", "title": e["title"],
                       "url": f"{{base}}/{site['slug']}/{e['slug']}.html",
                       "date_published": e["date"]} for e in entries]}
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def provenance(manifest: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"| `{s['slug']}/{e['slug']}.html.gz` | {e['site']} | {e['original_url']} | "
        f"{e['origin_repo']} @ `{e['origin_commit'][:12]}` `{e['origin_path']}` | {e['licence']} |\n"
        for s in manifest for e in s["pages"])
    return ("# Demo sample sites: provenance\n\n"
            "Built by `scripts/build_demo_data.py` from the project's shared test data "
            "(`pages/`). Each page is the original saved page, byte-for-byte, gzip-compressed. "
            "The feeds (`feed.xml` RSS 2.0, `atom.xml` Atom 1.0, `feed.json` JSON Feed 1.1) were "
            "written by that script from the pages' own metadata; `{base}` is replaced by the demo "
            "server's address. The news content remains the copyright of its publishers: it is "
            "bundled only to demonstrate babelwire offline, on the user's own machine, and must "
            "not be republished.\n\n"
            "| file | site | original URL | origin (repository @ commit, path) | licence of origin |\n"
            "|---|---|---|---|---|\n" + rows)


FEEDS = {"rss": ("feed.xml", rss), "atom": ("atom.xml", atom), "json": ("feed.json", jsonfeed)}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    pages = data / "pages"
    if OUT.exists():
        shutil.rmtree(OUT)
    manifest: list[dict[str, Any]] = []
    for site in SITES:
        folder = OUT / site["slug"]
        folder.mkdir(parents=True)
        entries = [page_entry(pages, name) for name in site["pages"]]
        for e in entries:
            raw = (pages / e["slug"] / "source.html").read_bytes()
            (folder / f"{e['slug']}.html.gz").write_bytes(gzip.compress(raw, 9, mtime=0))
        filename, render = FEEDS[site["format"]]
        (folder / filename).write_text(render(site, entries), encoding="utf-8")
        manifest.append({**{k: v for k, v in site.items() if k != "pages"}, "feed": filename,
                         "pages": entries})
    (OUT / "sites.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    (OUT / "PROVENANCE.md").write_text(provenance(manifest), encoding="utf-8")
    print(f"wrote {sum(len(s['pages']) for s in manifest)} pages in {len(manifest)} sites to {OUT}")


if __name__ == "__main__":
    main()
