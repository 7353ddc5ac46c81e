"""Full-text search in the target language, on SQLite (FTS5) and PostgreSQL (tsvector).

The articles are six real news documents of WMT newstest2013, which exist in English, Spanish and
French: each is stored as an article in its original language with its two human translations as
the published translations, through the store's real transitions.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from babelwire.models import (
    Article,
    FeedItem,
    FetchResult,
    PublishedArticle,
    Translation,
    TranslationStatus,
)
from babelwire.settings import Settings
from babelwire.store import Store, new_owner
from babelwire.store.db import alembic_config
from babelwire.store.search import PG_CONFIGS, fts5_query, pg_config
from babelwire.store.tables import utcnow
from tests.helpers import DATA
from tests.helpers.store import add_article
from tests.services import PostgresServer

NEWSTEST = DATA / "scale" / "newstest2013"
LANGS = ("en", "es", "fr")


@dataclass(frozen=True)
class Doc:
    """One newstest document: its id, original language and lines in each language."""

    doc_id: str
    orig_lang: str
    lines: dict[str, list[str]]

    def article(self, lang: str) -> Article:
        lines = self.lines[lang]
        return Article(url=f"https://news.example/{self.doc_id}", title=lines[0],
                       html="".join(f"<p>{line}</p>" for line in lines[1:]),
                       text="\n".join(lines[1:]), lang=lang, site_name=self.doc_id.split("/")[0],
                       published=datetime(2012, 12, 1, tzinfo=UTC))

    def translation(self, lang: str, status: TranslationStatus) -> Translation:
        art = self.article(lang)
        return Translation(lang=lang, engine="human", title=art.title, html=art.html,
                           text=art.text, status=status, source_lang=self.orig_lang)

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(lang for lang in LANGS if lang != self.orig_lang)


def _load_docs(path: Path = NEWSTEST) -> list[Doc]:
    texts = {lang: (path / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
             for lang in LANGS}
    with (path / "docs.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [Doc(r["doc_id"], r["orig_lang"],
                {lang: texts[lang][int(r["first_line"]) - 1:int(r["last_line"])]
                 for lang in LANGS}) for r in rows]


DOCS = _load_docs()
CASES = [(doc, lang) for doc in DOCS for lang in doc.targets]


def _add(store: Store, doc: Doc, status: TranslationStatus = TranslationStatus.PUBLISHED,
         publish: bool = True) -> int:
    return add_article(store, doc.article(doc.orig_lang),
                       [doc.translation(lang, status) for lang in doc.targets],
                       source_url=f"https://{doc.doc_id.split('/')[0]}.example/feed",
                       guid=doc.doc_id, publish=publish)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def news(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Store, dict[str, int]]]:
    """A store (SQLite, then PostgreSQL) holding the six documents, published; read-only."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('news') / 'news.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    store = Store(url)
    yield store, {doc.doc_id: _add(store, doc) for doc in DOCS}
    store.close()
    if request.param == "postgresql":
        server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """A store on a database of its own, free to change its schema."""
    url = settings.db_url if request.param == "sqlite" else request.getfixturevalue("fresh_pg_url")
    store = Store(url)
    yield store
    store.close()


def _ids(found: Sequence[PublishedArticle]) -> list[int]:
    return [a.item_id for a in found]


@pytest.mark.parametrize(("doc", "lang"), CASES, ids=[f"{d.doc_id}-{lang}" for d, lang in CASES])
def test_each_document_is_found_first_by_its_translated_title(
        news: tuple[Store, dict[str, int]], doc: Doc, lang: str) -> None:
    store, ids = news
    found, total = store.search(lang, doc.lines[lang][0])
    assert found and found[0].item_id == ids[doc.doc_id]
    assert found[0].lang == lang and found[0].title == doc.lines[lang][0]
    assert found[0].original_title == doc.lines[doc.orig_lang][0]
    assert total == len(found) and all(a.lang == lang for a in found)


def test_a_title_match_outranks_a_body_match(news: tuple[Store, dict[str, int]]) -> None:
    # "Obama" is in the title of the Republican-strategy piece, in the body of the Mexico one
    store, ids = news
    found, total = store.search("es", "Obama")
    assert total == 2
    assert _ids(found) == [ids["cyberpresse/2012/12/01/1564248"], ids["bbc/2012/12/01/503584"]]


def test_inflected_forms_match(news: tuple[Store, dict[str, int]]) -> None:
    # the texts say "republicana", "republicanas", "republicanos", never "republicano"
    store, ids = news
    assert "republicano " not in " ".join(DOCS[0].lines["es"]).lower()
    found, _ = store.search("es", "republicano")
    assert ids["cyberpresse/2012/12/01/1564248"] in _ids(found)
    found, _ = store.search("fr", "cigarette paquet")
    assert _ids(found) == [ids["guardian/2012/12/01/59408"]]


def test_only_the_requested_language_is_searched(news: tuple[Store, dict[str, int]]) -> None:
    store, ids = news
    # the rakfisk story is English: it has Spanish and French translations, no English one
    assert store.search("en", "rakfisk") == ([], 0)
    assert _ids(store.search("fr", "rakfisk")[0]) == [ids["bbc/2012/12/01/503566"]]
    assert store.search("de", "Obama") == ([], 0)


def test_pages_partition_the_results(news: tuple[Store, dict[str, int]]) -> None:
    store, _ = news
    everything, total = store.search("es", "año", limit=50)
    assert total == len(everything) >= 4
    pages = [store.search("es", "año", limit=2, offset=o) for o in range(0, total, 2)]
    assert all(t == total for _, t in pages)
    assert [a.item_id for page, _ in pages for a in page] == _ids(everything)
    assert store.search("es", "año", limit=2, offset=total) == ([], total)


def test_only_the_newest_matches_are_ranked(news: tuple[Store, dict[str, int]]) -> None:
    # "año" is in four Spanish translations; the best of them is the oldest article
    store, ids = news
    everything, total = store.search("es", "año")
    assert total == 4 and everything[0].item_id == ids[DOCS[0].doc_id]
    newest = sorted(_ids(everything))[-2:]  # stored last: ids grow as translations are stored
    found, counted = store.search("es", "año", newest=2)
    assert counted == 2
    assert _ids(found) == [i for i in _ids(everything) if i in newest]  # ranked among them
    assert ids[DOCS[0].doc_id] not in _ids(found)


def test_a_rare_word_finds_an_old_article_whatever_the_bound(
        news: tuple[Store, dict[str, int]]) -> None:
    # "republicano" matches the oldest article only: fewer matches than the bound, all ranked
    store, ids = news
    assert store.search("es", "republicano", newest=1) == store.search("es", "republicano")
    assert _ids(store.search("es", "republicano", newest=1)[0]) == [ids[DOCS[0].doc_id]]


def test_the_bound_counts_matches_of_the_language_only(
        news: tuple[Store, dict[str, int]]) -> None:
    # "Obama" is in two articles, each translated into Spanish and English or French; the
    # newest match in the index is the French translation of the BBC piece, stored after its
    # Spanish one: a bound taken before the language filter would leave no Spanish result
    store, ids = news
    found, total = store.search("es", "Obama", newest=1)
    assert total == 1 and _ids(found) == [ids["bbc/2012/12/01/503584"]]
    assert found[0].lang == "es"
    assert _ids(store.search("fr", "Obama", newest=1)[0]) == [ids["bbc/2012/12/01/503584"]]


def test_migration_0015_goes_down_and_up(fresh_store: Store) -> None:
    for doc in DOCS[:3]:
        _add(fresh_store, doc)
    sqlite = fresh_store.engine.dialect.name == "sqlite"
    config = alembic_config(fresh_store.engine)

    def indexes() -> set[str]:
        return {i["name"] or "" for i in inspect(fresh_store.engine).get_indexes("translations")}

    assert ("ix_translations_search_public" in indexes()) == sqlite
    command.downgrade(config, "0014")
    assert "ix_translations_search_public" not in indexes()
    command.upgrade(config, "head")
    assert ("ix_translations_search_public" in indexes()) == sqlite
    found, total = fresh_store.search("en", "Higgs")
    assert total == 1 and found[0].title == DOCS[2].lines["en"][0]


def test_held_and_unpublished_translations_are_never_found(db_store: Store) -> None:
    doc = DOCS[2]  # the Higgs boson
    _add(db_store, doc, status=TranslationStatus.HELD)
    assert db_store.search("es", "bosón Higgs") == ([], 0)
    other = replace(doc, doc_id="cyberpresse/2012/12/01/copy")
    _add(db_store, other, publish=False)
    assert db_store.search("es", "bosón Higgs") == ([], 0)


@pytest.mark.parametrize("query", ['"', "AND", "-", "*", "Obama OR", 'NEAR("a" "b")', "(x",
                                   "Obama -republicana", "título:Obama", "^x", "  ", "¿?"])
def test_what_readers_type_never_breaks_the_query(news: tuple[Store, dict[str, int]],
                                                  query: str) -> None:
    store, _ = news
    found, total = store.search("es", query)
    assert total == len(found)


def test_punctuation_alone_finds_nothing(news: tuple[Store, dict[str, int]]) -> None:
    store, _ = news
    assert store.search("es", " ¿?! ") == ([], 0)
    assert fts5_query(" ¿?! ") == ""
    assert fts5_query('le "PSG" AND Barça') == '"le" "PSG" "AND" "Barça"*'


def test_a_retranslation_replaces_the_indexed_text(db_store: Store) -> None:
    doc = DOCS[3]  # rakfisk, English original
    item_id = _add(db_store, doc)
    assert _ids(db_store.search("fr", "poisson odorant")[0]) == [item_id]
    source_id = db_store.get_item(item_id).source_id  # type: ignore[union-attr]
    changed = FeedItem(guid=doc.doc_id, url=doc.article("en").url, updated=utcnow())
    assert db_store.upsert_feed_items(source_id, [changed]) == (0, 1)
    owner = new_owner()
    assert db_store.claim_item(owner, utcnow(), 60, item_id=item_id) is not None
    db_store.save_document(item_id, owner, FetchResult(url=changed.url, final_url=changed.url,
                                                       status=200, content=b"<p>x</p>"))
    db_store.save_article(item_id, owner, doc.article("en"))
    other = DOCS[5].translation("fr", TranslationStatus.PUBLISHED)  # the cigarette story
    db_store.save_translations(item_id, owner, [other])
    db_store.publish_item(item_id, owner)
    assert db_store.search("fr", "poisson odorant") == ([], 0)
    assert _ids(db_store.search("fr", "cigarettes")[0]) == [item_id]


def test_a_removed_source_leaves_the_index(db_store: Store) -> None:
    item_id = _add(db_store, DOCS[0])
    assert _ids(db_store.search("en", "Obama")[0]) == [item_id]
    item = db_store.get_item(item_id)
    assert item is not None
    db_store.remove_source(item.source_id)
    assert db_store.get_item(item_id) is None and db_store.get_source(item.source_id) is None
    assert db_store.search("en", "Obama") == ([], 0)
    _add(db_store, DOCS[0])
    assert db_store.search("en", "Obama")[1] == 1


def test_the_index_is_rebuilt_by_the_migration(fresh_store: Store) -> None:
    # rows written before the search migration existed must become searchable when it runs
    for doc in DOCS[:3]:
        _add(fresh_store, doc)
    command.downgrade(alembic_config(fresh_store.engine), "0001")
    with fresh_store.session() as s:
        assert s.execute(text("SELECT count(*) FROM translations")).scalar() == 6
    command.upgrade(alembic_config(fresh_store.engine), "head")
    found, total = fresh_store.search("en", "Higgs")
    assert total == 1 and found[0].title == DOCS[2].lines["en"][0]


def test_postgres_indexes_each_language_with_its_own_stemmer(pg_store: Store) -> None:
    for doc in DOCS:
        _add(pg_store, doc)
    with pg_store.session() as s:
        for lang in LANGS:
            same = s.execute(text(
                "SELECT bool_and(search_vector = setweight(to_tsvector(CAST(:c AS regconfig), "
                "title), 'A') || setweight(to_tsvector(CAST(:c AS regconfig), text), 'B')), "
                "count(*) FROM translations WHERE lang = :lang"),
                {"c": pg_config(lang), "lang": lang}).one()
            assert same == (True, sum(lang in doc.targets for doc in DOCS))


def test_the_migration_and_the_query_use_the_same_configurations() -> None:
    from importlib.util import module_from_spec, spec_from_file_location

    from babelwire.store.db import MIGRATIONS

    spec = spec_from_file_location("m0002", MIGRATIONS / "versions" / "0002_search.py")
    assert spec is not None and spec.loader is not None
    migration = module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.PG_CONFIGS == PG_CONFIGS
    assert pg_config("es") == "spanish" and pg_config("xx") == "simple"
