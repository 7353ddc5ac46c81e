"""Fidelity of babelwire's translation: the invariants of ``fidelity/README.md``, what the reader
reads, and chrF.

1. Every case of ``fidelity/`` (the shared data's, and the hand-read set in the repository's
   ``tests/data/fidelity``: ``dev`` cases, and ``heldout`` cases never used for tuning, reported
   apart; a case of DATA_DIR/fidelity that is not in the repository, such as a case kept outside
   it, is reported in a table of its own, "outside the repository") is extracted and translated
   into every target of its ``case.json`` (English <-> French
   goes through a pivot with Apertium; ``--extra-targets fr`` adds targets). Printed per split:
   the pass rate of each invariant of that folder's README; name recall (each ``protect`` name
   verbatim in the translation); glued and garbled words published, words left in another
   language and those without a ``lang`` mark (``quality.words``, with every installed
   dictionary); and how many translations are held, each with its reason.
2. ``--pages`` does the same checks (without a case's lists: babelwire's own checks) on the real
   pages of ``pages/``, into the other two of en/es/fr; ``--extraction-pages`` on the en/es/fr
   pages of the extraction benchmark (trafilatura's evaluation pages and the multilingual extra
   set: blogs, forums, references, Wikipedia, none of them chosen for babelwire), English into
   Spanish, Spanish into English and French, French into Spanish.
3. chrF (sacrebleu) on ``mt/newstest2013``: babelwire's ``translate_lines`` against Apertium alone
   on the same lines, for en->es, es->en and fr->es (first 300 lines; ``--full`` for all 3000);
   a DATA_DIR holding only some of the languages runs the pairs it holds.

    python bench/fidelity.py [DATA_DIR] [--full] [--pages] [--extraction-pages]
                             [--extra-targets fr] [--no-chrf] [--split dev|heldout|all]
                             [--cases DIR] [--show-heldout]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sacrebleu

from babelwire.extract.article import extract_article
from babelwire.extract.language import detect_language
from babelwire.models import Article, Translation, TranslationStatus
from babelwire.quality.words import WordReport, classify_words
from babelwire.run.translation import share_source, translate_article, translate_lines
from babelwire.translate import markup
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import translate
from babelwire.translate.names.rules import dateline_place
from babelwire.translate.recase import words_of
from babelwire.translate.router import Router
from babelwire.translate.runs import parse_document
from babelwire.translate.segment import glued_boundaries

ROOT = Path(__file__).resolve().parent.parent
PAIRS = (("en", "es"), ("es", "en"), ("fr", "es"))
INVARIANTS = ("protected names verbatim", "links kept (same href, same text)",
              "no glued words at link edges", "no sentence cut at a link", "target language",
              "one paragraph per source paragraph", "attribution complete",
              "status published", "extraction: no template phrase")


def case_invariants(case: dict[str, Any], article: Article, tr: Translation,
                    target: str) -> dict[str, bool]:
    """Each invariant of the README for one translation of one case."""
    meta = case["metadata"]
    text = tr.title + "\n" + tr.text
    anchors = {m.group(1): re.sub("<[^>]+>", "", m.group(2))
               for m in re.finditer(r'<a href="([^"]+)"[^>]*>(.*?)</a>', tr.html, re.S)}
    checks = {c.name: c.ok for c in tr.checks}
    att = tr.attribution
    published = meta["published"]
    return {
        INVARIANTS[0]: all(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)
                           for n in case["protect"]),
        INVARIANTS[1]: all(link["href"] in anchors and anchors[link["href"]].strip()
                           and link.get("text", anchors[link["href"]]) == anchors[link["href"]]
                           for link in case["links"]),
        INVARIANTS[2]: checks.get("tag_spacing", False) and not _glued(article.html, tr.html),
        INVARIANTS[3]: checks.get("sentence_cut", False),
        INVARIANTS[4]: detect_language(tr.text.replace("\n", " "))[0] == target,
        INVARIANTS[5]: tr.html.count("<p>") == case["paragraphs"]
        and article.html.count("<p>") == case["paragraphs"],
        INVARIANTS[6]: bool(att and att.site_name == meta["site_name"] and att.url == case["url"]
                            and att.author == meta["author"] and att.published
                            and att.published.date().isoformat() == published
                            and att.notice and "Apertium" in att.notice),
        INVARIANTS[7]: tr.status == TranslationStatus.PUBLISHED,
        INVARIANTS[8]: not any(p.lower() in (article.title + article.text).lower()
                               for p in case["template_phrases"]),
    }


def _glued(source_html: str, output_html: str) -> bool:
    """A word glued to a link in the output where the source has none."""
    pattern = r"\w<a\s|</a>\w"
    return len(re.findall(pattern, output_html)) > len(re.findall(pattern, source_html))


@dataclass
class Tally:
    """What the reader reads, summed over translations."""

    translations: int = 0
    held: int = 0
    failed: int = 0
    words: int = 0
    foreign: int = 0
    other_language: int = 0     # ... of them in a language the source was not written in
    terms: int = 0
    unmarked: int = 0
    glued: int = 0
    garbled: int = 0
    names: int = 0
    names_kept: int = 0
    invariants: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    holds: list[str] = field(default_factory=list)
    datelines: int = 0          # places in capitals opening a dateline of the source
    datelines_kept: int = 0     # ... that the translation keeps as written
    run_together: int = 0       # sentences the source ran together ("generales.Enfatizó")
    run_together_out: int = 0   # ... and such pairs in the translation

    def add(self, tr: Translation, report: WordReport | None, label: str,
            source: str = "") -> None:
        """Count one translation (its words, if a report could be made; with ``source``, the
        article's text, its datelines and the sentences it ran together)."""
        if source:
            counts = reader_patterns(source, tr.text)
            self.datelines += counts[0]
            self.datelines_kept += counts[1]
            self.run_together += counts[2]
            self.run_together_out += counts[3]
        self.translations += 1
        self.held += tr.status == TranslationStatus.HELD
        self.failed += tr.status == TranslationStatus.FAILED
        if tr.status != TranslationStatus.PUBLISHED:
            reason = tr.reason or "; ".join(f"{c.name}: {c.detail}" for c in tr.checks
                                            if not c.ok)
            self.holds.append(f"{label}: {tr.status}: {reason[:300]}")
        if report is not None:
            self.words += report.words
            self.foreign += report.foreign_count
            self.other_language += sum(len(ws) for lang, ws in report.foreign.items()
                                       if lang != tr.source_lang)
            self.terms += sum(len(ws) for ws in report.terms.values())
            self.unmarked += unmarked(report, f"{tr.title_html}\n{tr.html}")
            self.glued += len(report.glued)
            self.garbled += len(report.garbled)

    def print(self, title: str, *, details: bool) -> None:
        """The figures, and with ``details`` every translation not published with its reason."""
        n, w = max(self.translations, 1), max(self.words, 1)
        print(f"\n{title}: {self.translations} translations, {self.held} held "
              f"({self.held / n:.0%}), {self.failed} failed")
        if self.names:
            print(f"  name recall {self.names_kept}/{self.names} "
                  f"({self.names_kept / self.names:.1%}) of the cases' protect names verbatim")
        print(f"  {self.words} words published or held: glued {self.glued} "
              f"({self.glued / w:.3%}), garbled {self.garbled} ({self.garbled / w:.3%}), "
              f"left in another language {self.foreign} ({self.foreign / w:.2%}), of them "
              f"in a language the source was not in {self.other_language}, "
              f"without a lang mark {self.unmarked} ({self.unmarked / w:.2%}); source words no "
              f"engine dictionary has (marked, not counted) {self.terms} "
              f"({self.terms / w:.2%})")
        if self.datelines or self.run_together:
            print(f"  datelines' places in capitals kept as written {self.datelines_kept}/"
                  f"{self.datelines}; sentences run together: {self.run_together} in the "
                  f"sources, {self.run_together_out} in the translations")
        for name in INVARIANTS:
            oks = self.invariants.get(name, [])
            if oks:
                print(f"  {sum(oks)}/{len(oks)}  {name}")
        if details:
            for line in self.holds:
                print(f"    {line}")


def reader_patterns(source: str, output: str) -> tuple[int, int, int, int]:
    """Counted without reading: the source's datelines with a place in capitals, those kept as
    written in ``output`` (every such place: one the dictionary reads as a proper noun may
    rightly come out in its target form, "LONDRES"), the sentences the source ran together
    ("generales.Enfatizó") and such pairs in ``output``."""
    places = [p for p in (dateline_place(line, ()) for line in source.split("\n")) if p]
    return (len(places), sum(p in output for p in places),
            sum(len(glued_boundaries(line)) for line in source.split("\n")),
            len(_RUN_TOGETHER.findall(output)))


def unmarked(report: WordReport, html: str) -> int:
    """Words left in another language that the HTML (the marked title and the body) does not
    mark with a ``lang``."""
    marked = Counter(w for m in re.finditer(r'<span lang="[\w-]+">(.*?)</span>', html)
                     for w in words_of(m.group(1)))
    left = Counter(w for ws in report.foreign.values() for w in ws)
    return sum(max(0, n - marked.get(w, 0)) for w, n in left.items())


# With --dump, every translation the reader report reads (source, output, HTML), to score two
# runs of different code with one and the same stick (``bench/fidelity_rescore.py``).
DUMPED: list[dict[str, str]] = []
# Two sentences run together in a translation: a stop between a lower-case and a capitalised word.
_RUN_TOGETHER = re.compile(r"[^\W\d_A-Z]{2}[.!?][A-ZÁÉÍÓÚ][^\W\d_A-Z]{2,}")
SECTION = {"name": ""}


def reader_report(article: Article, tr: Translation, router: Router) -> WordReport | None:
    """The reader-side word report of a translation, made apart from the pipeline's own."""
    if tr.status == TranslationStatus.FAILED:
        return None
    dictionaries = router.dictionaries()
    if not dictionaries.available(tr.lang):
        return None
    runs = parse_document(article.html, article.lang).runs
    source = "\n".join([article.title, *(r.text for r in runs)])
    DUMPED.append({"set": SECTION["name"], "url": article.url, "source_lang": article.lang,
                   "lang": tr.lang, "status": str(tr.status), "source": source,
                   "output": f"{tr.title}\n{tr.text}", "html": tr.html,
                   "title_html": tr.title_html})
    return classify_words(f"{tr.title}\n{tr.text}", source, target=tr.lang,
                          source_lang=article.lang, dictionaries=dictionaries)


def load_cases(folders: Sequence[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Every case (folder, case.json) under ``folders``, sorted by name."""
    cases: dict[str, tuple[Path, dict[str, Any]]] = {}
    for root in folders:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder / "case.json").exists() and folder.name not in cases:  # copies: once
                cases[folder.name] = (folder, json.loads((folder / "case.json").read_text("utf-8")))
    return [cases[name] for name in sorted(cases)]


def read_page(folder: Path) -> bytes:
    """A case's page: ``page.html``, or ``page.html.gz``."""
    plain = folder / "page.html"
    return plain.read_bytes() if plain.exists() else gzip.decompress(
        (folder / "page.html.gz").read_bytes())


OUTSIDE = "outside the repository"


def run_cases(folders: Sequence[Path], router: Router, extra: Sequence[str], split: str,
              show_heldout: bool, known: Collection[str] = ()) -> None:
    """Print, per split, the invariants and the reader's figures over every case and target.
    A case whose name is not in ``known`` (the repository's cases) was never read while
    babelwire was tuned: such cases get a table of their own, whatever their split says."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for folder, case in load_cases(folders):
        case_split = case.get("split", "dev") if folder.name in known else OUTSIDE
        if split != "all" and case_split not in (split, OUTSIDE):
            continue
        tally = tallies[case_split]
        article = extract_article(read_page(folder), case["url"])
        shared = share_source(article)        # as the pipeline does: once for every target
        for target in [*case["targets"], *(t for t in extra if t != case["source_lang"])]:
            tr = translate_article(article, target, router, shared=shared)
            in_case = target in case["targets"]
            report = reader_report(article, tr, router)
            tally.add(tr, report, f"{folder.name} -> {target}", article.text)
            if not in_case:
                continue
            inv = case_invariants(case, article, tr, target)
            for name, ok in inv.items():
                tally.invariants[name].append(ok)
            text = tr.title + "\n" + tr.text
            kept = [n for n in case["protect"] if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]
            tally.names += len(case["protect"])
            tally.names_kept += len(kept)
            if case_split != "heldout" or show_heldout:
                lost = sorted(set(case["protect"]) - set(kept))
                failed = [n for n, ok in inv.items() if not ok]
                print(f"  {folder.name} -> {target} [{tr.engine}]: {tr.status}; "
                      f"invariants failed: {failed or 'none'}; names lost: {lost or 'none'}")
    for name in sorted(tallies):
        tally = tallies[name]
        tally.print(f"Fidelity cases, {name}", details=name != "heldout" or show_heldout)


def run_pages(data: Path, router: Router) -> None:
    """babelwire's own checks and the reader's figures on the real pages of ``pages/``."""
    tally = Tally()
    failed: dict[str, int] = defaultdict(int)
    words = seconds = 0.0
    for folder in sorted((data / "pages").iterdir()):
        origin = folder / "origin.json"
        if not origin.exists():
            continue
        info = json.loads(origin.read_text(encoding="utf-8"))
        lang = info.get("language") or info.get("lang") or folder.name[:2]
        if lang not in ("en", "es", "fr"):
            continue
        try:
            article = extract_article((folder / "source.html").read_bytes(),
                                      info.get("url", "https://example.invalid/"))
        except Exception as exc:  # extraction is another stage; report and go on
            print(f"  {folder.name}: extraction failed: {exc}")
            continue
        shared = share_source(article)
        for target in (t for t in ("en", "es", "fr") if t != lang):
            started = time.perf_counter()
            tr = translate_article(article, target, router, shared=shared)
            seconds += time.perf_counter() - started
            words += len(article.text.split())
            tally.add(tr, reader_report(article, tr, router), f"{folder.name} -> {target}",
                      article.text)
            for check in tr.checks:
                failed[check.name] += not check.ok
    tally.print("Pages", details=True)
    print(f"  failed checks {dict(failed)}; {words / max(seconds, 1e-9):.0f} source words/s")


EXTRACTION_TARGETS = {"en": ("es",), "es": ("en", "fr"), "fr": ("es",)}
# 22 of trafilatura's evaluation pages have no URL; bench/extraction.py and the trainer give
# them this one too (a page is extracted the same without it).
UNKNOWN_URL = "http://unknown.invalid/"


def extraction_pages(data: Path) -> list[tuple[str, str, Path]]:
    """(name, url, gzipped page) of every en/es/fr page of the extraction benchmark."""
    pages = []
    folder = data / "extraction" / "trafilatura"
    langs = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["lang"]
    for page in json.loads((folder / "ground-truth.json").read_text(encoding="utf-8")):
        if langs.get(page["id"]) in EXTRACTION_TARGETS:
            pages.append((page["id"], page["url"] or UNKNOWN_URL, folder / page["html"]))
    folder = data / "extraction" / "multilingual_extra"
    for page in json.loads((folder / "ground-truth.json").read_text(encoding="utf-8")):
        if page["lang"] in EXTRACTION_TARGETS:
            pages.append((page["id"], page["url"] or UNKNOWN_URL, folder / page["html"]))
    return pages


def run_extraction_pages(data: Path, router: Router) -> None:
    """babelwire's own checks and the reader's figures on pages of every kind, with every
    translation not published printed with its reason."""
    tally = Tally()
    failed: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    pages = extraction_pages(data)
    no_article = 0
    for name, url, path in pages:
        try:
            article = extract_article(gzip.decompress(path.read_bytes()), url)
        except Exception as exc:  # extraction is another bench's business; report and go on
            no_article += 1
            print(f"  {name}: {exc}")
            continue
        shared = share_source(article)
        for target in EXTRACTION_TARGETS.get(article.lang, ()):
            tr = translate_article(article, target, router, shared=shared)
            tally.add(tr, reader_report(article, tr, router), f"{name} {article.lang}->{target}",
                      article.text)
            for check in tr.checks:
                failed[check.name] += not check.ok
    tally.print(f"Extraction-benchmark pages ({len(pages)} pages, {no_article} without an "
                "article)", details=True)
    print(f"  failed checks {dict(failed)}; {time.perf_counter() - started:.0f} s")


STORY_TARGETS = {"es": ("en", "fr"), "fr": ("en", "es")}


def story_documents(data: Path, part: str, limit: int,
                    skip: int = 0) -> list[tuple[str, str, str, str]]:
    """(id, lang, title, text) of the distinct articles of ``stories/pairs.jsonl``, real es and
    fr news texts nobody read while writing the translator. One article in two, by a hash of
    its title, is ``dev`` (to read); the other is ``aside`` (figures only, never read)."""
    docs: dict[str, tuple[str, str, str, str]] = {}
    path = data / "stories" / "pairs.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for n in ("1", "2"):
            title, text, lang = pair[f"title{n}"], pair[f"text{n}"], pair[f"lang{n}"]
            if lang not in STORY_TARGETS or len(text) < 200 or title in docs:
                continue
            digest = hashlib.sha1(title.encode("utf-8")).digest()
            if ("dev", "aside")[digest[0] % 2] == part:
                docs[title] = (f"{pair['id']}-{n}", lang, title, text)
    chosen = sorted(docs.values(), key=lambda d: hashlib.sha1(d[2].encode("utf-8")).digest())
    return chosen[skip:skip + limit]


def story_article(doc_id: str, lang: str, title: str, text: str) -> Article:
    """An article made of a story text: its paragraphs (blank-line separated) as ``<p>``."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = "".join(f"<p>{markup.escape(p)}</p>" for p in paragraphs[:40])
    return Article(url=f"https://stories.invalid/{doc_id}", title=" ".join(title.split()),
                   html=html, text="\n\n".join(paragraphs[:40]), lang=lang)


def run_stories(data: Path, router: Router, part: str, limit: int, skip: int = 0) -> None:
    """babelwire's own checks and the reader's figures on real es and fr news texts
    (``stories/pairs.jsonl``), each put into the two other languages."""
    tally = Tally()
    failed: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    docs = story_documents(data, part, limit, skip)
    for doc_id, lang, title, text in docs:
        article = story_article(doc_id, lang, title, text)
        shared = share_source(article)
        for target in STORY_TARGETS[lang]:
            tr = translate_article(article, target, router, shared=shared)
            tally.add(tr, reader_report(article, tr, router), f"{doc_id} {lang}->{target}",
                      article.text)
            for check in tr.checks:
                failed[check.name] += not check.ok
    tally.print(f"Story texts, {part} ({len(docs)} articles)", details=True)
    print(f"  failed checks {dict(failed)}; {time.perf_counter() - started:.0f} s")


def run_demo(router: Router) -> None:
    """The demo run end to end (sample sites, pipeline, store, in a temporary data directory),
    then the reader's figures over every translation it stored."""
    import socket
    import tempfile

    from babelwire.cli.demo import demo_settings, subscribe
    from babelwire.demo.sites import SampleSitesServer
    from babelwire.run.runner import Runner
    from babelwire.settings import load
    from babelwire.store import Store

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    tally = Tally()
    with tempfile.TemporaryDirectory() as home:
        settings = demo_settings(load(home=Path(home)), port)
        server = SampleSitesServer(port).start()
        store = Store(settings.db_url)
        try:
            subscribe(store, server)
            runner = Runner(settings, store)
            try:
                runner.run(once=True)
            finally:
                runner.close()
            for item_id, lang, _ in list(store.iter_translations()):
                article, tr = store.load_article(item_id), store.load_translation(item_id, lang)
                if article is not None and tr is not None:
                    tally.add(tr, reader_report(article, tr, router),
                              f"{article.url.rsplit('/', 1)[-1]} -> {lang}", article.text)
        finally:
            store.close()
            server.stop()
    tally.print("Demo (every translation the demo run stored)", details=True)


def run_chrf(data: Path, engine: ApertiumEngine, router: Router, lines: int) -> None:
    """chrF of babelwire and of Apertium alone on newstest2013."""
    folder = data / "mt" / "newstest2013"
    # a folder of sentences kept outside the repository may hold some languages only
    pairs = [(src, tgt) for src, tgt in PAIRS
             if (folder / f"{src}.txt").is_file() and (folder / f"{tgt}.txt").is_file()]
    if not pairs:
        print(f"\nchrF skipped: no newstest2013 pair under {folder}")
        return
    print(f"\nchrF on newstest2013, first {lines} lines (sacrebleu {sacrebleu.__version__}):")
    print(f"  {'pair':6} {'apertium':>9} {'babelwire':>10} {'apertium w/s':>13} "
          f"{'babelwire w/s':>14}  status")
    for src, tgt in pairs:
        source = (folder / f"{src}.txt").read_text(encoding="utf-8").splitlines()[:lines]
        refs = (folder / f"{tgt}.txt").read_text(encoding="utf-8").splitlines()[:lines]
        words = sum(len(s.split()) for s in source)
        started = time.perf_counter()
        alone = [_plain(t) for t in translate(engine, [markup.escape(s) for s in source], src, tgt)]
        alone_s = time.perf_counter() - started
        started = time.perf_counter()
        tr = translate_lines(source, src, tgt, router)
        ours_s = time.perf_counter() - started
        ours = tr.text.split("\n")
        assert len(ours) == len(source), "translate_lines must keep one line per line"
        a = sacrebleu.corpus_chrf(alone, [refs]).score
        b = sacrebleu.corpus_chrf(ours, [refs]).score
        print(f"  {src}->{tgt}  {a:9.2f} {b:10.2f} {words / alone_s:13.0f} "
              f"{words / ours_s:14.0f}  {tr.status}")


def _plain(segment: str) -> str:
    """Apertium's own output: markup and unknown-word marks removed, nothing else done."""
    nodes = markup.parse(segment)
    markup.strip_unknown(nodes)
    return markup.plain_text(nodes).strip()


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--full", action="store_true", help="all 3000 newstest lines")
    parser.add_argument("--lines", type=int, default=300, help="newstest lines (default 300)")
    parser.add_argument("--pages", action="store_true", help="also check the pages/ folder")
    parser.add_argument("--demo", action="store_true",
                        help="also run the demo and check every translation it stores")
    parser.add_argument("--extraction-pages", action="store_true",
                        help="also check the en/es/fr pages of the extraction benchmark")
    parser.add_argument("--stories", choices=("dev", "aside"),
                        help="also check real es/fr news texts of stories/pairs.jsonl, one "
                             "half (dev: read while working; aside: figures only)")
    parser.add_argument("--stories-limit", type=int, default=60,
                        help="how many story texts (default 60)")
    parser.add_argument("--stories-skip", type=int, default=0,
                        help="leave out the first N story texts of the part (to read new ones)")
    parser.add_argument("--extra-targets", default="", help="more targets, e.g. fr")
    parser.add_argument("--no-chrf", action="store_true", help="skip the chrF part")
    parser.add_argument("--no-cases", action="store_true", help="skip the fidelity cases")
    parser.add_argument("--cases", default=str(ROOT / "tests" / "data" / "fidelity"),
                        help="the hand-read cases (default: the repository's tests/data)")
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "all"),
                        help="which cases of the hand-read set")
    parser.add_argument("--show-heldout", action="store_true",
                        help="print each held-out case's result, not only the totals")
    parser.add_argument("--dump", default="",
                        help="write every translation read to this JSON-lines file, to score "
                             "runs of two versions with one stick (bench/fidelity_rescore.py)")
    args = parser.parse_args()
    data = Path(args.data)
    wanted = {"pages": args.pages, "extraction": args.extraction_pages,
              "stories": bool(args.stories)}
    missing = [name for name, asked in wanted.items() if asked and not (data / name).is_dir()]
    if missing:
        parser.error(f"no {', '.join(missing)} folder under {data}")
    engine = ApertiumEngine()
    router = Router([engine])
    try:
        if not args.no_cases:
            print("Fidelity cases:")
            SECTION["name"] = "cases"
            repo = Path(args.cases)
            folders = list(dict.fromkeys([data / "fidelity", repo]))
            known = {case.name for case in repo.iterdir()} if repo.is_dir() else set()
            run_cases(folders, router, [t for t in args.extra_targets.split(",") if t],
                      args.split, args.show_heldout, known)
        if args.demo:
            SECTION["name"] = "demo"
            run_demo(router)
        if args.pages:
            SECTION["name"] = "pages"
            run_pages(data, router)
        if args.extraction_pages:
            SECTION["name"] = "extraction"
            run_extraction_pages(data, router)
        if args.stories:
            SECTION["name"] = f"stories-{args.stories}"
            run_stories(data, router, args.stories, args.stories_limit, args.stories_skip)
        if not args.no_chrf:
            run_chrf(data, engine, router, 3000 if args.full else args.lines)
    finally:
        router.close()
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as out:
                out.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in DUMPED)


if __name__ == "__main__":
    main()
