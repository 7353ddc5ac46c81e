"""Fidelity of babelwire's translation: the invariants of ``fidelity/README.md`` and chrF.

1. Every case of ``fidelity/`` is extracted and translated into every target of its ``case.json``
   (English -> French goes through Spanish with Apertium; ``--extra-targets fr`` adds targets), and
   the pass rate of each invariant of that folder's README is printed.
2. ``--pages`` does the same checks (without a case's lists: babelwire's own checks) on the real
   pages of ``pages/``, into the other two of en/es/fr; ``--extraction-pages`` on the en/es/fr
   pages of the extraction benchmark (trafilatura's evaluation pages and the multilingual extra
   set: blogs, forums, references, Wikipedia, none of them chosen for babelwire), English into
   Spanish, Spanish into English and French, French into Spanish.
3. chrF (sacrebleu) on ``mt/newstest2013``: babelwire's ``translate_lines`` against Apertium alone
   on the same lines, for en->es, es->en and fr->es (first 300 lines; ``--full`` for all 3000).

    python bench/fidelity.py [DATA_DIR] [--full] [--pages] [--extraction-pages]
                             [--extra-targets fr] [--no-chrf]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sacrebleu

from babelwire.extract.article import extract_article
from babelwire.extract.language import detect_language
from babelwire.models import Article, Translation, TranslationStatus
from babelwire.translate import markup
from babelwire.translate.document import translate_article, translate_lines
from babelwire.translate.engines.apertium import ApertiumEngine
from babelwire.translate.router import Router

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


def run_cases(data: Path, router: Router, extra: Sequence[str]) -> None:
    """Print the pass rate of every invariant over every case and target."""
    results: dict[str, list[bool]] = defaultdict(list)
    for folder in sorted((data / "fidelity").iterdir()):
        if not (folder / "case.json").exists():
            continue
        case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        article = extract_article((folder / "page.html").read_bytes(), case["url"])
        for target in [*case["targets"], *(t for t in extra if t != case["source_lang"])]:
            tr = translate_article(article, target, router)
            inv = case_invariants(case, article, tr, target)
            in_case = target in case["targets"]
            for name, ok in inv.items():
                if in_case:
                    results[name].append(ok)
            failed = [n for n, ok in inv.items() if not ok]
            note = "" if in_case else " (extra target; case lists apply to its own targets)"
            print(f"  {folder.name} -> {target} [{tr.engine}]: {tr.status}; "
                  f"failed: {failed or 'none'}{note}")
            for check in tr.checks:
                if not check.ok:
                    print(f"      check {check.name}: {check.detail}")
    print("\nInvariant pass rates (fidelity cases, their own targets):")
    for name in INVARIANTS:
        oks = results[name]
        print(f"  {sum(oks)}/{len(oks)}  {name}")


def run_pages(data: Path, router: Router) -> None:
    """babelwire's own checks on the real pages of ``pages/``."""
    statuses: dict[str, int] = defaultdict(int)
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
        for target in (t for t in ("en", "es", "fr") if t != lang):
            started = time.perf_counter()
            tr = translate_article(article, target, router)
            seconds += time.perf_counter() - started
            words += len(article.text.split())
            statuses[str(tr.status)] += 1
            bad = [c for c in tr.checks if not c.ok]
            for check in bad:
                failed[check.name] += 1
            if bad:
                print(f"  {folder.name} -> {target}: {tr.status}: " +
                      "; ".join(f"{c.name}: {c.detail[:150]}" for c in bad))
    print(f"\nPages: statuses {dict(statuses)}; failed checks {dict(failed)}; "
          f"{words / max(seconds, 1e-9):.0f} source words/s")


EXTRACTION_TARGETS = {"en": ("es",), "es": ("en", "fr"), "fr": ("es",)}


def extraction_pages(data: Path) -> list[tuple[str, str, Path]]:
    """(name, url, gzipped page) of every en/es/fr page of the extraction benchmark."""
    pages = []
    folder = data / "extraction" / "trafilatura"
    langs = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["lang"]
    for page in json.loads((folder / "ground-truth.json").read_text(encoding="utf-8")):
        if langs.get(page["id"]) in EXTRACTION_TARGETS:
            pages.append((page["id"], page["url"], folder / page["html"]))
    folder = data / "extraction" / "multilingual_extra"
    for page in json.loads((folder / "ground-truth.json").read_text(encoding="utf-8")):
        if page["lang"] in EXTRACTION_TARGETS:
            pages.append((page["id"], page["url"], folder / page["html"]))
    return pages


def run_extraction_pages(data: Path, router: Router) -> None:
    """babelwire's own checks on pages of every kind, with every translation not published
    printed with its reason."""
    statuses: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    pages = extraction_pages(data)
    for name, url, path in pages:
        try:
            article = extract_article(gzip.decompress(path.read_bytes()), url)
        except Exception as exc:  # extraction is another bench's business; report and go on
            statuses["no article"] += 1
            print(f"  {name}: {exc}")
            continue
        for target in EXTRACTION_TARGETS.get(article.lang, ()):
            tr = translate_article(article, target, router)
            statuses[str(tr.status)] += 1
            bad = [c for c in tr.checks if not c.ok]
            for check in bad:
                failed[check.name] += 1
            if tr.status != TranslationStatus.PUBLISHED:
                print(f"  {name} {article.lang}->{target}: {tr.status}: {tr.reason[:150]}" +
                      "; ".join(f"{c.name}: {c.detail[:150]}" for c in bad))
    print(f"\nExtraction-benchmark pages: {len(pages)} pages, statuses {dict(statuses)}; "
          f"failed checks {dict(failed)}; {time.perf_counter() - started:.0f} s")


def run_chrf(data: Path, engine: ApertiumEngine, router: Router, lines: int) -> None:
    """chrF of babelwire and of Apertium alone on newstest2013."""
    folder = data / "mt" / "newstest2013"
    print(f"\nchrF on newstest2013, first {lines} lines (sacrebleu {sacrebleu.__version__}):")
    print(f"  {'pair':6} {'apertium':>9} {'babelwire':>10} {'apertium w/s':>13} "
          f"{'babelwire w/s':>14}  status")
    for src, tgt in PAIRS:
        source = (folder / f"{src}.txt").read_text(encoding="utf-8").splitlines()[:lines]
        refs = (folder / f"{tgt}.txt").read_text(encoding="utf-8").splitlines()[:lines]
        words = sum(len(s.split()) for s in source)
        started = time.perf_counter()
        alone = [_plain(t) for t in engine.translate([markup.escape(s) for s in source], src, tgt)]
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
    parser.add_argument("--extraction-pages", action="store_true",
                        help="also check the en/es/fr pages of the extraction benchmark")
    parser.add_argument("--extra-targets", default="", help="more targets, e.g. fr")
    parser.add_argument("--no-chrf", action="store_true", help="skip the chrF part")
    args = parser.parse_args()
    data = Path(args.data)
    engine = ApertiumEngine()
    router = Router([engine])
    try:
        print("Fidelity cases:")
        run_cases(data, router, [t for t in args.extra_targets.split(",") if t])
        if args.pages:
            run_pages(data, router)
        if args.extraction_pages:
            run_extraction_pages(data, router)
        if not args.no_chrf:
            run_chrf(data, engine, router, 3000 if args.full else args.lines)
    finally:
        router.close()


if __name__ == "__main__":
    main()
