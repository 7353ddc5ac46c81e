"""The translation memory (translate/memory.py): nothing is translated twice.

Articles are made of real news text (newstest2013, one sentence per line, three lines a
paragraph) and translated by real Apertium behind a wrapper that records what it was sent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner
from sqlalchemy import event

from babelwire.cli import cli
from babelwire.models import Article, Translation, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.settings import load
from babelwire.store import Store
from babelwire.store.review import Approval
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.apertium.stream import READING
from babelwire.translate.engines.base import Answer, Job, translate
from babelwire.translate.memory import (
    ArticleMemory,
    MemoryKey,
    TranslationMemory,
    normalize,
    remember_approval,
)
from babelwire.translate.router import Router
from babelwire.translate.runs import parse_document

T = TypeVar("T")
DATA = Path(__file__).parent / "data" / "engines"
LINES = (DATA / "newstest-en.txt").read_text(encoding="utf-8").splitlines()


class Recording:
    """Apertium, recording every segment it is sent for the article's own pair (words the
    route leaves unknown also go alone through other pairs: that is not what is counted)."""

    max_segments = 0

    def __init__(self, inner: ApertiumEngine, name: str = "apertium") -> None:
        self.inner, self.name = inner, name
        self.sent: list[str] = []
        self.calls = 0                      # engine calls, every pair
        self.pair = ("en", "es")

    def pairs(self) -> Mapping[tuple[str, str], str]:
        return self.inner.pairs()

    def run(self, job: Job) -> Answer:
        segments, src, tgt = job.segments, job.src, job.tgt
        self.calls += 1
        if (src, tgt) == self.pair:
            self.sent.extend(segments)
        return Answer(translate(self.inner, segments, src, tgt))

    def close(self) -> None:
        pass


@pytest.fixture
def engine(apertium: ApertiumEngine) -> Recording:
    return Recording(apertium)


def news_article(lines: Sequence[str], url: str = "https://news.example/a") -> Article:
    paragraphs = ["".join(f"{line} " for line in lines[i:i + 3]).strip()
                  for i in range(1, len(lines), 3)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return Article(url=url, title=lines[0], html=body, text="", lang="en",
                   site_name="Example News")


def _translate(article: Article, engine: Recording, store: Store, target: str = "es",
               version: str = "0") -> Translation:
    router = Router([engine]).bind(memory=TranslationMemory(store), glossary_version=version)
    engine.pair = (article.lang, target)
    return translate_article(article, target, router)


def test_a_rerun_sends_nothing_and_gives_the_same_translation(engine: Recording,
                                                              store: Store) -> None:
    article = news_article(LINES[:19])
    first = _translate(article, engine, store)
    sent_first = len(engine.sent)
    second = _translate(article, engine, store)
    assert sent_first >= 19 and len(engine.sent) == sent_first     # nothing sent again
    assert (second.title, second.html, second.status) == (first.title, first.html, first.status)
    assert second.engine == "apertium"


def test_an_edited_paragraph_sends_only_its_changed_sentence(engine: Recording,
                                                             store: Store) -> None:
    lines = LINES[:19]
    _translate(news_article(lines), engine, store)
    edited = list(lines)
    edited[4] = edited[4].replace("two specialists", "three specialists")
    engine.sent.clear()
    tr = _translate(news_article(edited), engine, store)
    assert engine.sent == [edited[4]]
    assert "tres especialistas" in tr.text


def test_a_sentence_shared_by_articles_is_translated_once(engine: Recording,
                                                          store: Store) -> None:
    wire = LINES[1:4]                                   # a paragraph of wire copy
    _translate(news_article([LINES[0], *wire, *LINES[4:7]]), engine, store)
    engine.sent.clear()
    _translate(news_article([LINES[10], *wire, *LINES[11:14]], "https://other.example/b"),
               engine, store)
    assert not set(engine.sent) & set(wire)
    assert set(engine.sent) == {LINES[10], *LINES[11:14]}


def test_keys_hold_engine_model_pair_and_glossary(db_store: Store) -> None:
    memory = TranslationMemory(db_store)        # on SQLite and on PostgreSQL
    key = MemoryKey("deepl", "v2", "en", "es", "g1")
    memory.remember(key, [("The  house\nis red.", "La casa es roja.")])
    assert memory.lookup(key, ["The house is red."]) == {"The house is red.": "La casa es roja."}
    for other in (MemoryKey("deepl", "v2", "en", "es", "g2"),
                  MemoryKey("deepl", "v3", "en", "es", "g1"),
                  MemoryKey("openai", "v2", "en", "es", "g1"),
                  MemoryKey("deepl", "v2", "en", "fr", "g1")):
        assert memory.lookup(other, ["The house is red."]) == {}
    memory.remember(key, [("The house is red.", "something else")])   # first one stays
    assert memory.lookup(key, ["The house is red."])["The house is red."] == "La casa es roja."
    memory.remember_human("en", "es", [("The house is red.", "La casa es colorada.")])
    memory.remember_human("en", "es", [("The house is red.", "La casa es roja, sí.")])
    assert memory.human("en", "es", ["The house is red."]) == {    # a newer edit wins
        "The house is red.": "La casa es roja, sí."}


def test_a_new_glossary_version_translates_again(engine: Recording, store: Store) -> None:
    article = news_article(LINES[:7])
    _translate(article, engine, store, version="0")
    engine.sent.clear()
    _translate(article, engine, store, version="abc")
    assert len(engine.sent) >= 7


def test_answers_kept_by_an_earlier_reading_of_apertium_are_not_served(
        engine: Recording, store: Store) -> None:
    """A store's memory written before a fix of how Apertium's answers are read (its "@" marks
    published as "@darse", docs/reliability.md bug 24) must not serve them again: the reading
    is part of the key."""
    article = news_article(LINES[:7])
    old = MemoryKey("apertium", "", "en", "es", "0")         # the key before the reading
    memory = ArticleMemory(store, ["es"])
    memory.remember(old, [(normalize(line), "@viejo") for line in LINES[:7]])
    memory.flush()
    tr = _translate(article, engine, store)
    assert "@viejo" not in tr.html and "@viejo" not in tr.title
    assert len(engine.sent) >= 7              # translated by the engine, and kept anew
    assert engine.pairs()[("en", "es")].startswith(READING)   # and babelwire's own choices


def test_normalize_is_nfc_and_whitespace() -> None:
    assert normalize(" Cafe\u0301\n au   lait ") == "Café au lait"
    assert normalize("10\u00a0000 €") == "10\u00a0000 €"          # typography stays


def test_concurrent_workers_remember_the_same_segments(store: Store) -> None:
    memory = TranslationMemory(store)
    key = MemoryKey("apertium", "", "en", "es")
    pairs = [(line, f"t{i}") for i, line in enumerate(LINES[:40])]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            memory.remember(key, pairs)
        except BaseException as exc:  # the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(memory.lookup(key, LINES[:40])) == 40


def _article_in_two_languages(article: Article, engine: Recording, store: Store,
                              version: str) -> tuple[list[Translation], int, ArticleMemory]:
    """``article`` into Spanish (one leg) and French (through Spanish, other pivots tried) as
    the translate stage does it, with one ``ArticleMemory``: the translations, the store
    transactions while translating, and the memory (not flushed yet)."""
    memory = ArticleMemory(store, ["es", "fr"])
    router = Router([engine]).bind(memory=memory, glossary_version=version)
    translations, commits = _committing(store, lambda: [
        translate_article(article, target, router) for target in ("es", "fr")])
    return translations, commits, memory


def _committing(store: Store, work: Callable[[], T]) -> tuple[T, int]:
    """What ``work`` returns, and how many transactions it committed in ``store``."""
    commits = [0]

    def commit(*_: object) -> None:
        commits[0] += 1

    event.listen(store.engine, "commit", commit)
    try:
        return work(), commits[0]
    finally:
        event.remove(store.engine, "commit", commit)


def _kept(store: Store, version: str, engine: Recording) -> int:
    """How many of the article's lines the store's memory holds in Spanish (the engine's
    reading of the pair: ``READING`` and babelwire's lexical choices)."""
    key = MemoryKey("apertium", engine.pairs()[("en", "es")], "en", "es", version)
    return len(TranslationMemory(store).lookup(key, LINES[:19]))


def test_an_articles_memory_is_read_in_few_transactions_and_written_in_one(
        engine: Recording, db_store: Store) -> None:
    """Issue 13: the memory cost a lookup and a keep per engine leg and chunk. One article's
    memory is now read in as many transactions whatever the chunks, and written in one at its
    end; a re-run sends nothing and writes nothing (SQLite and PostgreSQL)."""
    article = news_article(LINES[:19])
    engine.max_segments = 0                                   # one chunk a leg (256 segments)
    _, reads_whole, memory = _article_in_two_languages(article, engine, db_store, "a")
    kept = memory.flush()
    calls_whole, engine.calls = engine.calls, 0
    engine.max_segments = 2                                   # many chunks a leg
    first, reads_chunked, memory = _article_in_two_languages(article, engine, db_store, "b")
    assert _kept(db_store, "b", engine) == 0                  # nothing written before the flush
    assert engine.calls > 2 * calls_whole                     # far more engine calls ...
    assert reads_chunked == reads_whole <= 12                 # ... read as often as one chunk
    assert _committing(db_store, memory.flush) == (kept, 1)  # every pair paid for, one write
    assert kept >= 2 * 19
    assert _kept(db_store, "b", engine) >= 17
    engine.calls = 0
    again, reads_again, memory = _article_in_two_languages(article, engine, db_store, "b")
    assert engine.calls == 0 and memory.flush() == 0          # a re-run translates nothing
    assert reads_again <= reads_chunked
    assert [(t.title, t.html, t.status) for t in again] == \
        [(t.title, t.html, t.status) for t in first]


def test_concurrent_articles_keep_the_same_segments_in_any_order(db_store: Store) -> None:
    """Workers flushing overlapping pairs at once, in opposite orders, all succeed and the
    first row kept stays (rows go in key order: no deadlock on PostgreSQL)."""
    key = MemoryKey("apertium", "", "en", "es")
    pairs = [(line, f"t{i}") for i, line in enumerate(LINES[:60])]
    errors: list[BaseException] = []

    def work(order: int) -> None:
        try:
            memory = ArticleMemory(db_store, ["es"])
            memory.remember(key, pairs[::order])
            memory.flush()
        except BaseException as exc:  # the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(1 if i % 2 else -1,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found = TranslationMemory(db_store).lookup(key, LINES[:60])
    assert not errors and found == dict(pairs)


def _approved(source_title: str, source_html: str, machine_title: str, machine_html: str,
              title: str, html: str) -> Approval:
    """An English -> Spanish approval with an editor's changes."""
    return Approval(item_id=1, lang="es", source_lang="en", source_title=source_title,
                    source_html=source_html, machine_title=machine_title,
                    machine_html=machine_html, title=title, html=html, text="",
                    human_edited=True, editor="editor", approved_at=datetime.now(UTC))


def _edit_second_paragraph(html: str, new_text: str) -> str:
    paragraphs = html.split("</p>")
    paragraphs[1] = paragraphs[1][:paragraphs[1].index(">") + 1] + new_text
    return "</p>".join(paragraphs)


def test_approved_human_edit_takes_precedence(engine: Recording, apertium: ApertiumEngine,
                                              store: Store) -> None:
    article = news_article(LINES[:10])
    machine = _translate(article, engine, store)
    human = ("Una cosa es segura: estas nuevas disposiciones afectarán a la participación. "
             "En este sentido, las medidas socavarán en parte el sistema democrático. "
             "A diferencia de Canadá, los estados organizan las elecciones federales en "
             "Estados Unidos.")
    edited_html = _edit_second_paragraph(machine.html, human)
    kept = remember_approval(store, _approved(article.title, article.html,
                                              machine.title, machine.html, machine.title,
                                              edited_html))
    assert kept == 3                             # three sentences each side: one by one
    other = Recording(apertium, name="deepl")    # even another engine defers to the editor
    tr = _translate(article, other, store)
    assert human in tr.text
    assert not set(other.sent) & set(LINES[4:7])
    assert tr.status == TranslationStatus.PUBLISHED


def test_human_edit_with_other_sentence_count_is_kept_as_one_block(engine: Recording,
                                                                   store: Store) -> None:
    article = news_article(LINES[:10])
    machine = _translate(article, engine, store)
    human = "Un solo párrafo humano que resume las tres frases del original."
    kept = remember_approval(store, _approved(article.title, article.html,
                                              machine.title, machine.html, machine.title,
                                              _edit_second_paragraph(machine.html, human)))
    assert kept == 1
    # the pipeline cuts the paragraph into three sentences: the block entry does not match
    # them one by one, so the engine's translation stays (the editor re-approves if needed)
    engine.sent.clear()
    assert human not in _translate(article, engine, store).text
    assert engine.sent == []


def test_human_edit_keeps_protected_names(apertium: ApertiumEngine, store: Store) -> None:
    case = json.loads((DATA / "en-chips.json").read_text(encoding="utf-8"))
    article = Article(url=case["url"], title=case["metadata"]["title"],
                      html=(DATA / "en-chips.html").read_text(encoding="utf-8"), text="",
                      lang="en", site_name=case["metadata"]["site_name"])
    engine = Recording(apertium)
    machine = _translate(article, engine, store)
    first = parse_document(article.html, "en").runs[0]
    assert "Bloomberg" in first.text
    edited = machine.html.replace(machine.html[machine.html.index("<p>") + 3:
                                               machine.html.index("</p>")],
                                  _human_first_paragraph(machine.html), 1)
    assert remember_approval(store, _approved(article.title, article.html,
                                              machine.title, machine.html, machine.title,
                                              edited)) >= 1
    tr = _translate(article, Recording(apertium, "deepl"), store)
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    assert "Bloomberg" in tr.text and "EDITADO" in tr.text


def _human_first_paragraph(html: str) -> str:
    """The machine's first paragraph with an editor's mark in each sentence, tags kept."""
    paragraph = html[html.index("<p>") + 3:html.index("</p>")]
    return paragraph.replace(". ", ". EDITADO: ").replace("</a> ", "</a> EDITADO ", 1)


def _translate_file(path: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["translate", str(path), "--from", "es", "--to", "en",
                                      *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def _spent() -> tuple[int, int]:
    """Segments sent to engines and memory hits of the translate command so far."""
    store = Store(load().db_url)
    try:
        lines = store.usage(1)
    finally:
        store.close()
    assert {(ln.engine, ln.source_id) for ln in lines} == {("apertium", 0)}
    return lines[0].counts.segments, lines[0].counts.memory_hits


def test_the_translate_command_uses_the_memory_of_the_data_directory(tmp_path: Path) -> None:
    """With a store in the data directory, `babelwire translate` asks the engines only for
    sentences it has not translated before, and counts what they spent; without one it makes
    none. Real newstest2013 lines (tests/data/determinism)."""
    lines = (Path(__file__).parent / "data" / "determinism" / "newstest-es.txt").read_text(
        encoding="utf-8").splitlines()
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[2:5]) + "\n", encoding="utf-8")   # one line in common
    without_store = _translate_file(first)
    assert not (load().home / "babelwire.db").exists()
    Store(load().db_url).close()                                   # the data directory's store
    assert _translate_file(first) == without_store
    sent, hits = _spent()
    assert sent > 0 and hits == 0
    assert _translate_file(first) == without_store                  # all from the memory
    assert _spent() == (sent, sent)
    _translate_file(second)                                         # line 2 from the memory
    more, shared = (a - b for a, b in zip(_spent(), (sent, sent), strict=True))
    assert more > 0 and shared > 0
    _translate_file(second, "--no-memory")                          # all to the engines
    assert _spent() == (sent + more + more + shared, sent + shared)
