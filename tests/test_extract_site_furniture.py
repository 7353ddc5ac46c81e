"""Per-site template learning on a site of several pages built from a real page.

The site: La Nación's page ``es-lanacion-mapuche`` (tests/data/extract/pages) as the template, its
article body replaced by the openings of six real news stories (newstest2013, Spanish side). A
subscription notice sits *inside* the article container on every page; a correction notice sits on
one story, which the site also serves at a second address (an updated copy). The notice is
furniture and must go; the correction belongs to its article and must stay. In a variant, each
page points to the next story with a label of the site's own ("Más sobre este tema: <headline>"),
which babelwire must learn as a related-link label.
"""

from __future__ import annotations

from collections import Counter

import pytest

from babelwire.extract import (
    InMemoryFurniture,
    extract_article,
    extract_articles,
    learn_templates,
    site_of,
)
from babelwire.extract.article import judged_blocks, learned_furniture
from babelwire.extract.classifier import shipped_model
from babelwire.extract.cleanup import fold
from babelwire.extract.furniture import Learned, furniture, remember_pages
from babelwire.extract.source import ParsedPage, parse_page
from babelwire.models import Article, PageBlocks
from tests.helpers.template_site import (
    BASE_URL,
    CORRECTION,
    NOTICE,
    SITE_LABEL,
    build_site,
    stories,
)


@pytest.fixture(scope="module")
def site() -> list[tuple[bytes, str]]:
    """Seven pages: six stories, the first also served at a second address with the correction."""
    return build_site({0}, updated_copy=True)


def _texts(results: list[Article | Exception]) -> list[str]:
    assert all(isinstance(r, Article) for r in results), results
    return [r.text for r in results if isinstance(r, Article)]


def test_without_memory_the_notice_inside_the_article_is_extracted(
        site: list[tuple[bytes, str]]) -> None:
    article = extract_article(*site[1])
    assert NOTICE in article.text
    assert article.html.count("<p>") >= 4


def test_batch_learning_removes_the_notice_from_every_page(site: list[tuple[bytes, str]]) -> None:
    texts = _texts(list(extract_articles(site, InMemoryFurniture())))
    assert all(NOTICE not in text for text in texts)
    for text, (headline, sentences) in zip(texts, [*stories(), stories()[0]], strict=True):
        assert sentences[0] in text and sentences[-1] in text
        assert headline not in text


def test_correction_repeated_within_one_story_is_kept(site: list[tuple[bytes, str]]) -> None:
    texts = _texts(list(extract_articles(site, InMemoryFurniture())))
    with_correction = [i for i, text in enumerate(texts) if CORRECTION in text]
    assert with_correction == [0, 6]


def test_correction_on_a_minority_of_stories_is_kept() -> None:
    """The correction is on two different stories out of six: not furniture."""
    pages = build_site({0, 3}, updated_copy=False)
    texts = _texts(list(extract_articles(pages, InMemoryFurniture())))
    assert [i for i, text in enumerate(texts) if CORRECTION in text] == [0, 3]
    assert all(NOTICE not in text for text in texts)


def test_the_share_of_stories_that_makes_furniture_is_a_setting() -> None:
    """On four stories of six the correction passes for furniture at the default share (half),
    and stays when the site's operator asks for more than four in five (template_min_share)."""
    pages = build_site({0, 1, 3, 4}, updated_copy=False)
    default = _texts(list(extract_articles(pages, InMemoryFurniture())))
    strict = _texts(list(extract_articles(pages, InMemoryFurniture(min_share=0.8))))
    assert not any(CORRECTION in text for text in default)
    assert [i for i, text in enumerate(strict) if CORRECTION in text] == [0, 1, 3, 4]
    assert all(NOTICE not in text for text in default + strict)   # on every story: furniture


def test_the_sites_own_related_link_label_is_learned() -> None:
    """"Más sobre este tema:" is no label babelwire knows: alone, the page keeps the block; with
    the site's pages in memory, the label that starts a block on every story, another headline
    after it each time, is the site's related-link label, and the blocks go."""
    pages = build_site(set(), updated_copy=False, related=True)
    assert SITE_LABEL in extract_article(*pages[1]).text
    texts = _texts(list(extract_articles(pages, InMemoryFurniture())))
    assert not any(SITE_LABEL in text for text in texts)
    for text, (_, sentences) in zip(texts, stories(), strict=True):
        assert sentences[0] in text and sentences[-1] in text
        assert len(text.splitlines()) == (len(sentences) + 1) // 2


def _model_additions(parsed: ParsedPage, learned: Learned) -> list[str]:
    """The texts the shipped block model adds to trafilatura's blocks of ``parsed``."""
    taken = {block.text for block in parsed.blocks}
    return [block.text for block in judged_blocks(parsed, learned, shipped_model()).blocks
            if block.text not in taken]


def test_the_models_addition_that_recurs_on_the_site_is_refused() -> None:
    """Seen alone, each page gets from the block model a paragraph trafilatura left out that is
    the same on every page: the template's standfirst (the page's description). The site's
    memory keeps the segments the model may add; with the other pages in it, that paragraph
    recurs on every story and is not added, and nothing else the model adds changes."""
    site = build_site(set(), updated_copy=False, related=True)
    pages = [parse_page(page, url) for page, url in site]
    alone = [_model_additions(parsed, Learned()) for parsed in pages]
    recurring = set.intersection(*(set(added) for added in alone))
    assert recurring
    assert {fold(text) for text in recurring} == {fold(p.metadata.description) for p in pages}
    memory = InMemoryFurniture()
    remember_pages(pages, memory)
    for parsed, added in zip(pages, alone, strict=True):
        kept = _model_additions(parsed, learned_furniture(parsed, memory))
        assert kept == [text for text in added if text not in recurring]
    standfirst = next(iter(recurring))
    sequential = InMemoryFurniture()
    texts = [extract_article(page, url, templates=sequential).text for page, url in site]
    assert standfirst in texts[0]   # nothing to compare the first page with yet
    assert all(standfirst not in text for text in texts[1:])


def test_sequential_learning_removes_the_notice_from_the_second_page_on(
        site: list[tuple[bytes, str]]) -> None:
    memory = InMemoryFurniture()
    texts = [extract_article(page, url, templates=memory).text for page, url in site[:6]]
    assert NOTICE in texts[0]
    assert all(NOTICE not in text for text in texts[1:])
    assert CORRECTION in texts[0]
    site_pages = memory.pages(site_of(BASE_URL))
    assert [p.key for p in site_pages] == [f"{BASE_URL}nota-{i}" for i in range(6)]


def test_learn_templates_then_extract_first_page(site: list[tuple[bytes, str]]) -> None:
    memory = InMemoryFurniture()
    parsed = learn_templates(site[:4], memory)
    assert len(parsed) == 4
    assert NOTICE not in extract_article(*site[0], templates=memory).text


def test_remembering_a_page_twice_changes_nothing(site: list[tuple[bytes, str]]) -> None:
    memory = InMemoryFurniture()
    first = extract_article(*site[0], templates=memory)
    again = extract_article(*site[0], templates=memory)
    assert first == again
    assert len(memory.pages(site_of(BASE_URL))) == 1


def test_window_keeps_only_recent_pages() -> None:
    memory = InMemoryFurniture(window=3)
    for index in range(5):
        memory.remember("example.org", PageBlocks(f"u{index}", (f"block {index}",)))
    assert [p.key for p in memory.pages("example.org")] == ["u2", "u3", "u4"]


def test_near_identical_blocks_count_as_the_same_furniture() -> None:
    about = ("acme is a global provider of healthcare software headquartered in baar with "
             "subsidiaries in {} countries and around 1300 employees")
    pages = [PageBlocks(f"u{i}", (f"story {i} " * 12, about.format(10 + i))) for i in range(3)]
    found = furniture(pages[2], pages)
    assert found == {about.format(12)}
    assert Counter(site_of(u) for u in ["https://www.a.org/x", "http://a.org/y"]) == {"a.org": 2}
