"""Benchmark of protection (names, publications, glossary): does it keep what must be kept, and
does it cost translation quality?

(a) Fidelity cases (``fidelity/*/case.json``): recall of each case's ``protect`` list over the
    article paragraphs, end-to-end through Apertium with protected spans passed as superblanks,
    and the terms protected that are not in the list (common-noun ones are flagged).
(b) WMT newstest2013 (``mt/newstest2013``), sentences grouped into their documents (``docs.tsv``) so
    detection sees document-level evidence: chrF (sacrebleu) of Apertium alone against Apertium with
    protected terms, for es->en, en->es, fr->es; protected tokens per 1,000 words and examples.
    How protected terms reach Apertium (``--strategies``):
      superblank   every protected span as a superblank ``[term]``;
      placeholder  every span replaced by an invented word Apertium does not know, restored after;
      needed       superblanks only for terms Apertium may alter (not unknown / plain proper nouns);
      on-demand    plain translation first, then superblanks for the terms that did not come back
                   verbatim (``protect.missing_terms``), then for all terms of such a sentence.

Usage: python bench/protection.py [--data PATH] [--pairs es-en,en-es,fr-es] [--strategies ...]
                                  [--show N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Collection, Sequence
from pathlib import Path

import lxml.html
import sacrebleu

from babelwire.translate.names import rules as names_rules
from babelwire.translate.names.detect import ProtectedTerm, detect_terms, find_spans, missing_terms
from babelwire.translate.names.lexicon import ApertiumLexicon, escape

ROOT = Path(__file__).resolve().parent.parent
MODES = {("es", "en"): "spa-eng", ("en", "es"): "eng-spa", ("fr", "es"): "fr-es",
         ("es", "fr"): "es-fr"}
_SUPERBLANK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)(?<!\\)\]")


class Pipeline:
    """One Apertium pipeline kept alive (raw stream, NUL-separated segments), per ENGINES.md."""

    def __init__(self, mode: str) -> None:
        spec = Path("/usr/share/apertium/modes") / f"{mode}.mode"
        command = subprocess.run(["apertium-wblank-mode", "-z", str(spec)], check=True,
                                 capture_output=True, text=True).stdout.strip()
        self.proc = subprocess.Popen(["bash", "-c", command, "pipeline", "-n", ""],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, raws: Sequence[str]) -> list[str]:
        """Translate raw-stream segments; a writer thread keeps both pipes flowing."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        stdin, stdout = self.proc.stdin, self.proc.stdout

        def write() -> None:
            for raw in raws:
                stdin.write(raw.replace("\0", " ").encode() + b"\n\0")  # newline before NUL
            stdin.flush()

        writer = threading.Thread(target=write)
        writer.start()
        out: list[str] = []
        buffer = b""
        while len(out) < len(raws):
            chunk = os.read(stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("apertium pipeline ended early")
            buffer += chunk
            while b"\0" in buffer and len(out) < len(raws):
                segment, buffer = buffer.split(b"\0", 1)
                out.append(segment.decode("utf-8", errors="replace"))
        writer.join()
        return out

    def close(self) -> None:
        """End the pipeline."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


STRATEGIES = ("superblank", "placeholder", "needed", "on-demand")


def to_raw(text: str, terms: Sequence[ProtectedTerm], *, placeholder: bool = False,
           only: Collection[str] | None = None) -> tuple[str, dict[str, str]]:
    """Escape a sentence for raw stream with its protected spans shielded.

    A shielded span is a superblank ``[term]``, or with ``placeholder`` an invented capitalised
    word Apertium does not know (kept verbatim, but still a word to the tagger and the transfer
    rules). With ``only``, the other terms go through as plain text (a term with a fixed
    replacement is always shielded). Returns the raw text and the placeholders to restore.
    """
    parts: list[str] = []
    restore: dict[str, str] = {}
    cursor = 0
    for start, end, term in find_spans(text, terms):
        parts.append(escape(text[cursor:start]))
        cursor = end
        wanted = term.replacement or text[start:end]
        if only is not None and term.text not in only and term.replacement is None:
            parts.append(escape(wanted))
        elif placeholder:
            token = _placeholder(len(restore), text)
            restore[token] = wanted
            parts.append(token)
        else:
            parts.append("[" + escape(wanted) + "]")
    parts.append(escape(text[cursor:]))
    return "".join(parts), restore


def translate(pipeline: Pipeline, source: Sequence[str],
              terms_per_line: Sequence[Sequence[ProtectedTerm]], strategy: str,
              safe: frozenset[str], plain: Sequence[str]) -> list[str]:
    """Translate with protection by one strategy (see STRATEGIES and the README of this bench).

    ``on-demand`` starts from Apertium's plain output and shields, as superblanks, only the terms
    that did not come back verbatim, then every term of a sentence that still loses one.
    """
    if strategy != "on-demand":
        every = {t.text for ts in terms_per_line for t in ts}
        only = every - safe if strategy == "needed" else None
        return _run_shielded(pipeline, [
            to_raw(s, t, placeholder=strategy == "placeholder", only=only)
            for s, t in zip(source, terms_per_line, strict=True)])
    output = list(plain)
    for attempt in range(2):
        todo = [i for i in range(len(source))
                if missing_terms(source[i], output[i], terms_per_line[i])]
        if not todo:
            break
        again = _run_shielded(pipeline, [
            to_raw(source[i], terms_per_line[i],
                   only=None if attempt else missing_terms(source[i], output[i], terms_per_line[i]))
            for i in todo])
        for i, text in zip(todo, again, strict=True):
            output[i] = text
    return output


def _run_shielded(pipeline: Pipeline, shielded: Sequence[tuple[str, dict[str, str]]]) -> list[str]:
    out = pipeline.run([raw for raw, _ in shielded])
    return [from_raw(o, r) for o, (_, r) in zip(out, shielded, strict=True)]


def _placeholder(n: int, text: str) -> str:
    letters = ""
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
        if n == 0:
            break
    token = "Zqx" + letters
    return token if token not in text else "Zqxz" + token


def apertium_safe(terms: Sequence[ProtectedTerm], lexicon: ApertiumLexicon) -> frozenset[str]:
    """Terms Apertium passes verbatim anyway: every word unknown or a proper noun kept as is."""
    if not terms:
        return frozenset()
    units = lexicon.analyse([t.text for t in terms])
    proper = names_rules.proper_readings(u for us in units for u in us)
    targets = lexicon.translate_lemmas(proper)
    exonyms = frozenset(r.analysis for r, t in zip(proper, targets, strict=True)
                        if t is not None and t != r.lemma)
    safe = set()
    for term, term_units in zip(terms, units, strict=True):
        words = [u for u in term_units if u.surface[:1].isalpha()]
        if words and all(names_rules.classify(u, exonyms) is names_rules.Word.STRONG
                         for u in words):
            safe.add(term.text)
    return frozenset(safe)


def from_raw(raw: str, restore: dict[str, str] | None = None) -> str:
    """Drop superblank brackets and escapes from the pipeline's output; put placeholders back."""
    raw = _SUPERBLANK.sub(lambda m: m.group(1), raw)
    text = re.sub(r"\\(.)", r"\1", raw).strip()
    for token in sorted(restore or {}, key=len, reverse=True):
        text = text.replace(token, (restore or {})[token])
    return text


def read_docs(data: Path) -> list[tuple[str, int, int]]:
    """(doc_id, first line, last line) of newstest2013, 0-based, end exclusive."""
    rows = (data / "mt/newstest2013/docs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [(r.split("\t")[0], int(r.split("\t")[1]) - 1, int(r.split("\t")[2])) for r in rows]


def bench_newstest(data: Path, src: str, tgt: str, strategies: Sequence[str], show: int) -> None:
    """chrF of Apertium alone vs with protected terms shielded, on one pair."""
    source = (data / f"mt/newstest2013/{src}.txt").read_text(encoding="utf-8").splitlines()
    refs = (data / f"mt/newstest2013/{tgt}.txt").read_text(encoding="utf-8").splitlines()
    started = time.perf_counter()
    terms_per_line: list[list[ProtectedTerm]] = [[] for _ in source]
    with ApertiumLexicon(src, tgt) as lexicon:
        for _, first, last in read_docs(data):
            terms = detect_terms(source[first:last], src, tgt, lexicon=lexicon)
            for n in range(first, last):
                terms_per_line[n] = terms
        detect_s = time.perf_counter() - started
        every = {t.text: t for ts in terms_per_line for t in ts}
        safe = apertium_safe(list(every.values()), lexicon)
    _print_terms(src, tgt, source, terms_per_line, safe, detect_s, len(read_docs(data)))
    pipeline = Pipeline(MODES[(src, tgt)])
    try:
        plain = [from_raw(t) for t in pipeline.run([escape(s) for s in source])]
        base = sacrebleu.corpus_chrf(plain, [refs]).score
        print(f"chrF Apertium alone {base:.2f}")
        for strategy in strategies:
            protected = translate(pipeline, source, terms_per_line, strategy, safe, plain)
            ours = sacrebleu.corpus_chrf(protected, [refs]).score
            lost = _lost_terms(source, protected, terms_per_line)
            print(f"chrF with protection ({strategy}) {ours:.2f} ({ours - base:+.2f}); "
                  f"protected spans not verbatim in output: {lost}")
            if show:
                _show_changes(source, plain, protected, refs, show)
    finally:
        pipeline.close()


def _print_terms(src: str, tgt: str, source: Sequence[str],
                 terms_per_line: Sequence[Sequence[ProtectedTerm]], safe: frozenset[str],
                 detect_s: float, documents: int) -> None:
    every = {t.text for ts in terms_per_line for t in ts}
    words = sum(len(s.split()) for s in source)
    spans = [(s[a:b], t.kind) for s, ts in zip(source, terms_per_line, strict=True)
             for a, b, t in find_spans(s, ts)]
    tokens = sum(len(text.split()) for text, _ in spans)
    print(f"\n## newstest2013 {src}->{tgt}: {len(source)} sentences, {words} words")
    print(f"protected: {tokens} tokens = {1000 * tokens / words:.1f} per 1,000 words "
          f"({len(spans)} spans, {len(every)} distinct terms, {len(safe)} of them passed verbatim "
          f"by Apertium anyway; detection {detect_s:.1f} s for {documents} documents)")
    kinds = Counter(kind for _, kind in spans)
    print("by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    common = Counter(text for text, _ in spans).most_common(40)
    print("most protected: " + ", ".join(f"{t} ({n})" for t, n in common))
    unsafe = Counter(text for text, _ in spans if text not in safe).most_common(40)
    print("most protected that Apertium alone may alter: "
          + ", ".join(f"{t} ({n})" for t, n in unsafe))


def _lost_terms(source: Sequence[str], output: Sequence[str],
                terms_per_line: Sequence[Sequence[ProtectedTerm]]) -> str:
    lost: Counter[str] = Counter()
    for text, out, terms in zip(source, output, terms_per_line, strict=True):
        for _, _, term in find_spans(text, terms):
            if (term.replacement or term.text) not in out:
                lost[term.text] += 1
    return f"{sum(lost.values())} " + ", ".join(f"{t} ({n})" for t, n in lost.most_common(12))


def _show_changes(source: Sequence[str], plain: Sequence[str], protected: Sequence[str],
                  refs: Sequence[str], show: int) -> None:
    changed = [i for i in range(len(source)) if plain[i] != protected[i]]
    deltas = sorted((sacrebleu.sentence_chrf(protected[i], [refs[i]]).score
                     - sacrebleu.sentence_chrf(plain[i], [refs[i]]).score, i) for i in changed)
    better = sum(1 for d, _ in deltas if d > 0)
    worse = sum(1 for d, _ in deltas if d < 0)
    print(f"sentences changed by protection: {len(changed)} (better {better}, worse {worse})")
    for delta, i in deltas[:show] + deltas[-show:] if show else []:
        print(f"  [{delta:+.1f}] line {i + 1}: {source[i]}\n      alone: {plain[i]}\n"
              f"      prot.: {protected[i]}\n      ref:   {refs[i]}")


def case_paragraphs(page: Path) -> tuple[list[str], list[str]]:
    """Title and body paragraphs of a fidelity page, and its body link texts.

    A deliberately plain reading of the page (h1, then the <p> of the article that hold more than a
    byline), so this benchmark measures protection alone, whatever the extractor does.
    """
    root = lxml.html.parse(str(page)).getroot()
    article = root.find(".//article")
    scope = article if article is not None else root
    title = scope.find(".//h1")
    paragraphs = [title.text_content().strip()] if title is not None else []
    anchors: list[str] = []
    for p in scope.iter("p"):
        if p.get("class") or len(p.text_content().split()) < 8:
            continue  # byline / author line
        paragraphs.append(" ".join(p.text_content().split()))
        anchors.extend(a.text_content().strip() for a in p.iter("a"))
    return paragraphs, anchors


def bench_fidelity(data: Path) -> bool:
    """Recall of the protect lists, and what else was protected. True when recall is 100 %."""
    print("## fidelity cases")
    all_ok = True
    for case_file in sorted((data / "fidelity").glob("*/case.json")):
        case = json.loads(case_file.read_text(encoding="utf-8"))
        paragraphs, anchors = case_paragraphs(case_file.parent / "page.html")
        src = case["source_lang"]
        for tgt in case["targets"]:
            terms = detect_terms(paragraphs, src, tgt, site_name=case["metadata"]["site_name"],
                                 anchors=anchors)
            all_ok &= _report_case(case_file.parent.name, case, paragraphs, terms, src, tgt)
    return all_ok


def _report_case(name: str, case: dict[str, object], paragraphs: Sequence[str],
                 terms: Sequence[ProtectedTerm], src: str, tgt: str) -> bool:
    wanted = [str(w) for w in case["protect"]]  # type: ignore[attr-defined]
    covered = {w for w in wanted if _all_covered(w, paragraphs, terms)}
    pipeline = Pipeline(MODES[(src, tgt)])
    try:
        output = _run_shielded(pipeline, [to_raw(p, terms) for p in paragraphs])
    finally:
        pipeline.close()
    translated = "\n".join(output)
    kept = {w for w in wanted if w in translated}
    extra = [t for t in terms if t.text not in wanted and _in_text(t.text, paragraphs)]
    print(f"{name} {src}->{tgt}: protected-span recall {len(covered)}/{len(wanted)}, "
          f"verbatim in translation {len(kept)}/{len(wanted)}")
    for w in wanted:
        if w not in covered or w not in kept:
            print(f"  MISSED {w!r} (span: {w in covered}, in output: {w in kept})")
    common = _common_nouns(extra, src, tgt)
    for t in extra:
        flag = "  <- COMMON NOUN" if t.text in common else ""
        print(f"  also protected: {t.text!r} ({t.kind}){flag}")
    return covered == set(wanted) and kept == set(wanted)


def _all_covered(word: str, paragraphs: Sequence[str], terms: Sequence[ProtectedTerm]) -> bool:
    """Every occurrence of ``word`` lies inside a protected span."""
    for text in paragraphs:
        spans = find_spans(text, terms)
        for start in _word_occurrences(text, word):
            if not any(s <= start and start + len(word) <= e for s, e, _ in spans):
                return False
    return True


def _word_occurrences(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def _in_text(term: str, paragraphs: Sequence[str]) -> bool:
    return any(term in p for p in paragraphs)


def _common_nouns(terms: Sequence[ProtectedTerm], src: str, tgt: str) -> set[str]:
    """Protected terms made only of words the analyser knows as lower-case common words."""
    with ApertiumLexicon(src, tgt) as lexicon:
        units = lexicon.analyse([t.text for t in terms])
    common: set[str] = set()
    for term, term_units in zip(terms, units, strict=True):
        words = [u for u in term_units if u.surface[:1].isalpha()]
        if words and all(u.known and all(r.pos != "np" and r.lemma[:1].islower()
                                         for r in u.readings) for u in words):
            common.add(term.text)
    return common


def main(argv: Sequence[str] | None = None) -> int:
    """Run both parts; exit 1 when fidelity recall is below 100 %."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--pairs", default="es-en,en-es,fr-es")
    parser.add_argument("--strategies", default=",".join(STRATEGIES),
                        help="how protected spans reach Apertium: " + ", ".join(STRATEGIES))
    parser.add_argument("--show", type=int, default=0,
                        help="print the N sentences most helped and most hurt by protection")
    args = parser.parse_args(argv)
    ok = bench_fidelity(args.data)
    folder = args.data / "mt" / "newstest2013"
    for pair in args.pairs.split(","):
        src, tgt = pair.split("-")
        # a folder of sentences kept outside the repository may hold some languages only
        if not all((folder / name).is_file() for name in (f"{src}.txt", f"{tgt}.txt", "docs.tsv")):
            print(f"\n{pair}: skipped, no {src}.txt, {tgt}.txt and docs.tsv under {folder}")
            continue
        bench_newstest(args.data, src, tgt, args.strategies.split(","), args.show)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
