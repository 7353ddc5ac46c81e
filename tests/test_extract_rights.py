"""The rights read from real pages: licence, paywall, robots (meta and X-Robots-Tag), and what
``babelwire extract`` reports of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire.cli import cli
from babelwire.extract.article import extract_article
from babelwire.extract.rights import robots_directives
from babelwire.extract.source import parse_page
from babelwire.models import Access, Mode, Rights
from babelwire.rights.policy import decide
from babelwire.settings import Settings
from tests.helpers.http import LocalServer
from tests.helpers.rights import RIGHTS, URLS, html_page, page, with_head

CC = "https://creativecommons.org/licenses/"

# page -> (licence, access, robots) as its markup states them
PAGES = {
    "en-flowfx-tmux": (CC + "by/4.0/", Access.UNKNOWN, ()),
    "en-wikipedia-tsne": (CC + "by-sa/3.0/", Access.UNKNOWN, ()),
    "de-netzpolitik-abmahnungen": (CC + "by-nc-sa/4.0/", Access.UNKNOWN, ()),
    "en-theplanetarypress-forestlands": (None, Access.UNKNOWN, ()),
    "en-pixbavaria-gallery": (CC + "by-nc-nd/3.0/de/", Access.UNKNOWN, ()),
    "en-boingboing-millenials": (CC + "by-nc-sa/3.0/", Access.UNKNOWN, ()),
    "en-stardewvalleywiki-penny": (CC + "by-nc-sa/3.0/", Access.UNKNOWN, ()),
    "de-fluter-vorbild": (CC + "by-nc-nd/4.0/", Access.UNKNOWN, ()),
    "de-digitalcourage-muendigkeit": (None, Access.UNKNOWN, ()),
    "en-axios-future": (None, Access.UNKNOWN, ("noindex",)),
    "en-japantimes-surgical": (None, Access.UNKNOWN, ("noarchive",)),
    "en-latimes-gannett": (None, Access.PAYWALLED, ()),
    "es-lanacion-politica": (None, Access.PAYWALLED, ()),
    "fr-sciencesetavenir-rumeur": (None, Access.PAYWALLED, ("noarchive", "max-snippet:300")),
    "es-pagina12-suprema": (None, Access.FREE, ()),
    "fr-liberation-nepal": (None, Access.UNKNOWN, ()),
}

# the mode each page gets by default on a commercial site, and a word of its reason
MODES = {
    "en-flowfx-tmux": (Mode.FULL, "CC BY 4.0 allows translation"),
    "en-wikipedia-tsne": (Mode.FULL, "shared under the same licence"),
    "de-netzpolitik-abmahnungen": (Mode.EXCERPT, "forbids commercial use"),
    "en-theplanetarypress-forestlands": (Mode.EXCERPT, "no licence found"),
    "en-pixbavaria-gallery": (Mode.HEADLINE, "forbids derivatives"),
    "en-boingboing-millenials": (Mode.EXCERPT, "non_commercial_site"),
    "en-stardewvalleywiki-penny": (Mode.EXCERPT, "CC BY-NC-SA 3.0"),
    "de-fluter-vorbild": (Mode.HEADLINE, "CC BY-NC-ND 4.0 forbids derivatives"),
    "de-digitalcourage-muendigkeit": (Mode.EXCERPT, "all rights reserved"),
    "en-axios-future": (Mode.HEADLINE, "robots: noindex"),
    "en-japantimes-surgical": (Mode.EXCERPT, "robots: noarchive"),
    "en-latimes-gannett": (Mode.EXCERPT, "paywall"),
    "es-lanacion-politica": (Mode.EXCERPT, "paywall"),
    "fr-sciencesetavenir-rumeur": (Mode.EXCERPT, "max-snippet:300"),
    "es-pagina12-suprema": (Mode.EXCERPT, "no licence found"),
    "fr-liberation-nepal": (Mode.EXCERPT, "no licence found"),
}


def rights_of(raw: bytes, name: str, robots_tag: tuple[str, ...] = ()) -> Rights:
    return parse_page(raw, URLS[name], robots_tag=robots_tag).rights


def test_every_saved_page_is_listed() -> None:
    assert {p.name.removesuffix(".html.gz") for p in RIGHTS.glob("*.html.gz")} == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_rights_read_from_the_real_page(name: str) -> None:
    license, access, robots = PAGES[name]
    rights = rights_of(page(name), name)
    assert (rights.license, rights.access, rights.robots) == (license, access, robots)
    assert rights.problems == ()


@pytest.mark.parametrize("name", sorted(MODES))
def test_the_default_mode_of_each_page(name: str) -> None:
    mode, why = MODES[name]
    policy = decide(rights_of(page(name), name))
    assert policy.mode == mode and why in policy.reason, policy


def test_nc_pages_are_full_on_a_site_declared_non_commercial() -> None:
    rights = rights_of(page("en-boingboing-millenials"), "en-boingboing-millenials")
    policy = decide(rights, non_commercial=True)
    assert policy.mode == Mode.FULL and "declared non-commercial" in policy.reason
    # ND stays a headline there: the licence forbids the derivative, not only the commerce
    nd = rights_of(page("en-pixbavaria-gallery"), "en-pixbavaria-gallery")
    assert decide(nd, non_commercial=True).mode == Mode.HEADLINE


def test_share_alike_keeps_the_licence_and_names_it() -> None:
    policy = decide(rights_of(page("en-wikipedia-tsne"), "en-wikipedia-tsne"))
    assert policy.share_alike and policy.license_name == "CC BY-SA 3.0"
    assert policy.max_chars is None


def test_the_snippet_length_robots_allow_bounds_the_excerpt() -> None:
    name = "fr-sciencesetavenir-rumeur"
    assert decide(rights_of(page(name), name)).max_chars == 300


# -- bad and conflicting markup: the stricter reading, and why --------------------------------

def test_two_licences_keep_the_stricter_and_say_why() -> None:
    raw = with_head("en-flowfx-tmux", '<script type="application/ld+json">{"@context": '
                    '"https://schema.org", "@type": "BlogPosting", "license": '
                    '"https://creativecommons.org/licenses/by-nd/4.0/deed.de"}</script>')
    rights = rights_of(raw, "en-flowfx-tmux")
    assert rights.license == CC + "by-nd/4.0/"
    assert rights.problems and "conflicting licences: CC BY 4.0" in rights.problems[0]
    policy = decide(rights)
    assert policy.mode == Mode.HEADLINE
    assert "forbids derivatives" in policy.reason and "conflicting licences" in policy.reason


def test_the_same_licence_written_two_ways_is_one_licence() -> None:
    raw = with_head("en-flowfx-tmux", '<meta name="dcterms.license" '
                    'content="http://www.creativecommons.org/licences/by/4.0/legalcode.fr">')
    rights = rights_of(raw, "en-flowfx-tmux")
    assert rights.license == CC + "by/4.0/" and rights.problems == ()


@pytest.mark.parametrize("markup", [
    '<script type="application/ld+json">{"@type": "NewsArticle", '
    '"license": "Tous droits réservés"}</script>',
    '<link rel="license" href="javascript:void(0)">',
])
def test_an_unreadable_licence_falls_back_to_an_excerpt_and_says_why(markup: str) -> None:
    rights = rights_of(with_head("es-pagina12-suprema", markup), "es-pagina12-suprema")
    assert rights.license is None and "is not a URL" in rights.problems[0]
    policy = decide(rights)
    assert policy.mode == Mode.EXCERPT and "is not a URL" in policy.reason


def test_an_unreadable_licence_beside_a_readable_one_keeps_the_readable() -> None:
    raw = with_head("en-flowfx-tmux", '<link rel="license" href="javascript:void(0)">')
    rights = rights_of(raw, "en-flowfx-tmux")
    assert rights.license == CC + "by/4.0/" and "is not a URL" in rights.problems[0]
    assert decide(rights).mode == Mode.FULL   # the licence stated in markup still holds


def test_a_licence_babelwire_does_not_know_is_all_rights_reserved() -> None:
    raw = with_head("es-pagina12-suprema", '<link rel="license" href="/terminos">')
    rights = rights_of(raw, "es-pagina12-suprema")
    assert rights.license == "https://www.pagina12.com.ar/terminos"
    policy = decide(rights)
    assert policy.mode == Mode.EXCERPT and "not one known to allow translation" in policy.reason


def test_microdata_licence_and_access() -> None:
    raw = with_head("fr-liberation-nepal", '<meta itemprop="license" '
                    'content="https://creativecommons.org/publicdomain/zero/1.0/">'
                    '<meta itemprop="isAccessibleForFree" content="https://schema.org/False">')
    rights = rights_of(raw, "fr-liberation-nepal")
    assert rights.license == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert rights.access == Access.PAYWALLED
    assert decide(rights).mode == Mode.EXCERPT   # free to reuse, but behind a paywall


def test_an_unreadable_access_value_is_reported() -> None:
    raw = with_head("fr-liberation-nepal", '<script type="application/ld+json">'
                    '{"@type": "NewsArticle", "isAccessibleForFree": ""}</script>')
    rights = rights_of(raw, "fr-liberation-nepal")
    assert rights.access == Access.UNKNOWN
    assert rights.problems == ("unreadable isAccessibleForFree value ''",)


# -- robots: meta and X-Robots-Tag -----------------------------------------------------------

@pytest.mark.parametrize(("meta", "headers", "expected"), [
    (["index, follow, max-snippet:-1, max-image-preview:large"], [], ()),
    (["NOINDEX,NOFOLLOW"], [], ("noindex", "nofollow")),
    (["none"], [], ("noindex", "nofollow")),
    (["index follow"], ["nocache"], ("noarchive",)),
    ([], ["max-snippet: 120", "unavailable_after: 25 Jun 2030 15:00:00 PST"],
     ("max-snippet:120",)),
    ([], ["googlebot: noindex, nofollow"], ()),             # another crawler's
    ([], ["babelwire: nosnippet", "otherbot: noarchive"], ("nosnippet",)),
    (["notranslate"], ["noimageindex"], ("notranslate", "noimageindex")),
])
def test_robots_directives(meta: list[str], headers: list[str],
                           expected: tuple[str, ...]) -> None:
    assert robots_directives(meta, headers) == expected


def test_a_commented_out_robots_meta_is_not_obeyed() -> None:
    # the Japan Times page comments out <meta name="robots" content="nosnippet">
    assert b'<!-- <meta name="robots" content="nosnippet" /> -->' in page(
        "en-japantimes-surgical")
    assert "nosnippet" not in rights_of(page("en-japantimes-surgical"),
                                        "en-japantimes-surgical").robots


@pytest.mark.parametrize(("headers", "mode"), [
    (("noindex",), Mode.HEADLINE),
    (("nosnippet",), Mode.HEADLINE),
    (("noarchive",), Mode.EXCERPT),
    (("googlebot: noindex",), Mode.FULL),
])
def test_response_headers_join_the_page_s_rights(headers: tuple[str, ...], mode: Mode) -> None:
    article = extract_article(page("en-flowfx-tmux"), URLS["en-flowfx-tmux"],
                              robots_tag=headers)
    assert decide(article.rights).mode == mode
    assert article.rights.license == CC + "by/4.0/"


# -- babelwire extract -----------------------------------------------------------------------

def test_extract_reports_licence_access_and_robots(tmp_path: Path) -> None:
    runner = CliRunner()
    results = {}
    for name in ("en-wikipedia-tsne", "fr-sciencesetavenir-rumeur", "en-axios-future"):
        path = tmp_path / f"{name}.html"
        path.write_bytes(page(name))
        done = runner.invoke(cli, ["extract", str(path), "--url", URLS[name], "--jsonl"])
        assert done.exit_code == 0, done.output
        results[name] = json.loads(done.output)
    assert results["en-wikipedia-tsne"]["license"] == CC + "by-sa/3.0/"
    assert results["en-wikipedia-tsne"]["access"] == "unknown"
    assert results["en-wikipedia-tsne"]["republish"]["mode"] == "full"
    rumeur = results["fr-sciencesetavenir-rumeur"]
    assert (rumeur["license"], rumeur["access"], rumeur["robots"]) == (
        None, "paywalled", ["noarchive", "max-snippet:300"])
    assert rumeur["republish"]["mode"] == "excerpt"
    assert results["en-axios-future"]["robots"] == ["noindex"]
    assert results["en-axios-future"]["republish"]["mode"] == "headline"


def test_extract_of_a_url_reads_its_x_robots_tag(server: LocalServer, local: Settings) -> None:
    server.routes["/tmux.html"] = html_page(page("en-flowfx-tmux"), "noarchive",
                                            "googlebot: noindex", "babelwire: nosnippet")
    done = CliRunner().invoke(cli, ["--home", str(local.home), "--set",
                                    f"allowed_hosts=127.0.0.1:{server.port}", "extract",
                                    server.url("/tmux.html"), "--jsonl"])
    assert done.exit_code == 0, done.output
    record = json.loads(done.output)
    assert record["license"] == CC + "by/4.0/"
    assert record["robots"] == ["noarchive", "nosnippet"]
    assert record["republish"]["mode"] == "headline"
    assert "robots: nosnippet" in record["republish"]["reason"]


def test_a_link_that_is_no_url_does_not_stop_the_reading() -> None:
    # "http://[quote=…]" (a forum's BBCode pasted into a link, met in the shared pages) makes
    # urllib raise ValueError: the link is skipped, the page's licence still read
    raw = with_head("en-flowfx-tmux", '<link rel="license" href="http://[quote=tObIas Vx]/">')
    raw = raw.replace(b"</body>", b'<a href="http://[quote=tObIas Vx]">x</a></body>')
    rights = rights_of(raw, "en-flowfx-tmux")
    assert rights.license == CC + "by/4.0/" and "is not a URL" in rights.problems[0]


def test_a_licence_link_in_the_article_text_is_not_the_page_s_licence() -> None:
    # the Planetary Press credits its header image "(CC BY-NC-ND 2.0)" in the article's last
    # paragraph: the article itself states no licence
    name = "en-theplanetarypress-forestlands"
    assert b'Credit: Tomas Munita/CIFOR (<a href="https://creativecommons.org/licenses/by-nc-nd/' \
        in page(name)
    assert rights_of(page(name), name).license is None
