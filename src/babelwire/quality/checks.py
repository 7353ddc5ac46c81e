"""Fidelity checks of a translated article, and the status they lead to.

Every translation is checked against its source, whatever engine produced it; one failed check
holds the translation back for review. The checks (each reported as ``{"name", "ok", "detail"}``):

========================  ===================================================================
``protected_names``       every protected name of a block is in the same block of the output
``link_targets``          the same set of link targets
``empty_anchors``         no link lost its text
``tag_spacing``           text on both sides of each tag separated where the source was
``sentence_cut``          no sentence ends at a link where the source's sentence goes on
``paragraphs``            one paragraph per source paragraph, same kinds
``language``              the output is in the target language
``untranslated``          share of words the engine did not translate
``length_ratio``          output length plausible for the source's
``names``                 every name the checker finds in a source block (by its own method,
                          not the protector's) is in the same output block: verbatim, as the
                          glossary says, or in the dictionary's target form of a place
``words``                 every word is a target-language word, a protected term, or a copy
                          from the source: none glued or garbled, few left in another language
========================  ===================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from babelwire.models import Check, TranslationStatus
from babelwire.quality import inline
from babelwire.quality.names import SourceNames, missing_names
from babelwire.quality.words import WordReport
from babelwire.translate.names.detect import ProtectedTerm, find_spans
from babelwire.translate.runs import Layout, Run, parse_document, parse_text

Detector = Callable[[str], tuple[str, float]]

MAX_UNTRANSLATED = 0.2
MAX_FOREIGN = 0.02
MIN_FOREIGN_WORDS = 5        # a short text is not held for a few words left as they were
LENGTH_RATIO = (0.5, 2.0)
MIN_LANGUAGE_LETTERS = 40
MIN_LENGTH_CHARS = 40
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def run_checks(source_html: str, output_html: str, *, source_lang: str, target: str,
               terms: Sequence[ProtectedTerm] = (), source_title: str = "",
               output_title: str = "", unknown_words: int = 0,
               detect: Detector | None = None, words: WordReport | None = None,
               max_foreign: float = MAX_FOREIGN, names: SourceNames | None = None,
               glossary: dict[str, str] | None = None, source_doc: Layout | None = None,
               source_title_run: Run | None = None) -> tuple[Check, ...]:
    """Every fidelity check of ``output_html`` (and title) against ``source_html``.

    ``words`` is the reader-side word report of the output (``quality.words``) and ``names``
    the source's names as the checker found them (``quality.names``, blocks numbered title
    first when there is a title); without them (no dictionary installed for the languages)
    the ``words`` and ``names`` checks are not run. ``glossary`` maps terms to their fixed
    translations. ``source_doc`` and ``source_title_run`` are ``source_html`` and
    ``source_title`` already cut into runs (``parse_document``, ``parse_text``), when the
    caller has them: an article checked in several languages is cut once.
    """
    src_doc = source_doc if source_doc is not None else parse_document(source_html, source_lang)
    out_doc = parse_document(output_html, target)
    title_run = source_title_run if source_title_run is not None \
        else parse_text(source_title, source_lang)
    src_runs = [title_run, *src_doc.runs] if source_title else src_doc.runs
    out_runs = [parse_text(output_title, target), *out_doc.runs] if source_title \
        else out_doc.runs
    out_text = "\n".join(r.text for r in out_runs)
    src_text = "\n".join(r.text for r in src_runs)
    return (
        check_names(src_runs, out_runs, terms, bool(source_title)),
        check_links(src_doc.runs, out_doc.runs),
        check_empty_anchors(src_doc.runs, out_doc.runs),
        check_tag_spacing(src_doc.runs, out_doc.runs),
        check_sentence_cuts(src_doc.runs, out_doc.runs, source_lang, target),
        check_paragraphs(src_doc, out_doc),
        check_language(out_text, target, detect),
        check_untranslated(src_text, out_text, unknown_words, terms),
        check_length(src_text, out_text),
        *((check_names_kept(names, [r.text for r in out_runs],
                            len(src_runs) == len(out_runs), glossary, bool(source_title)),)
          if names is not None else ()),
        *((check_words(words, max_foreign),) if words is not None else ()),
    )


def status_for(checks: Sequence[Check]) -> TranslationStatus:
    """Published when every check passed, held otherwise."""
    return TranslationStatus.PUBLISHED if all(c.ok for c in checks) else TranslationStatus.HELD


def _result(name: str, problems: Sequence[str], ok_detail: str) -> Check:
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more"
                                           if len(problems) > 5 else "")
        return Check(name, False, shown)
    return Check(name, True, ok_detail)


def _block_label(block: int, titled: bool) -> str:
    """How the checks name a block: "the title", or "block N" counted from 1 after it."""
    if titled:
        return "the title" if block == 0 else f"block {block}"
    return f"block {block + 1}"


def check_names(source: Sequence[Run], output: Sequence[Run],
                terms: Sequence[ProtectedTerm], titled: bool = False) -> Check:
    """Each protected term of a source block appears, as a whole word, in the same output block
    (blocks numbered as every check numbers them: the title, then block 1, 2...)."""
    problems: list[str] = []
    total = 0
    for block, (src, out) in enumerate(zip(source, output, strict=False)):
        spans = find_spans(src.text, terms)
        wanted = {t.replacement or t.text for _, _, t in spans}
        if not wanted:
            continue
        total += len(wanted)
        # a fixed form may open the output's sentence where the source's does not ("Le
        # vendredi" -> "El viernes": the engine's article went, its capital to the form)
        fixed = {t.replacement for _, _, t in spans if t.replacement}
        # Searched one by one: one term may hold another ("Apple" in "Apple Vision").
        found = {w for w in wanted if any(
            v in out.text and find_spans(out.text, [ProtectedTerm(v, "name")])
            for v in ({w, w[:1].upper() + w[1:]} if w in fixed else {w}))}
        where = _block_label(block, titled)
        problems.extend(f"{w!r} missing from {where}" for w in sorted(wanted - found))
    return _result("protected_names", sorted(problems), f"{total} protected term(s) kept")


def check_links(source: Sequence[Run], output: Sequence[Run]) -> Check:
    """The output links to exactly the targets the source links to."""
    src, out = set(inline.hrefs(source)), set(inline.hrefs(output))
    problems = [f"missing {h}" for h in sorted(src - out)] + \
               [f"unexpected {h}" for h in sorted(out - src)]
    return _result("link_targets", problems, f"{len(src)} link target(s) kept")


def check_empty_anchors(source: Sequence[Run], output: Sequence[Run]) -> Check:
    """No link of the output is empty (unless it already was in the source)."""
    problems = inline.empty_anchors(output)
    allowed = len(inline.empty_anchors(source))
    return _result("empty_anchors", problems if len(problems) > allowed else [],
                   "no empty link")


def check_tag_spacing(source: Sequence[Run], output: Sequence[Run]) -> Check:
    """Where the source separates a tag from its neighbours, the output does too."""
    problems, edges = [], 0
    for edge in inline.matched(source, output):
        edges += 2
        problems.extend(inline.glued_edges(edge))
    return _result("tag_spacing", problems, f"{edges} tag edge(s) spaced as in the source")


def check_sentence_cuts(source: Sequence[Run], output: Sequence[Run], source_lang: str = "en",
                        target: str = "en") -> Check:
    """No sentence ends at a link where the source sentence goes on."""
    problems, links = [], 0
    added: dict[int, bool] = {}              # per block: computed once, not once per link
    for edge in inline.matched(source, output):
        links += edge.src_tag.tag == "a"
        if edge.block not in added:
            added[edge.block] = inline.adds_sentence_end(edge.src_run, edge.out_run,
                                                         source_lang, target)
        if added[edge.block]:
            problems.extend(inline.cuts(edge, source_lang, target))
    return _result("sentence_cut", problems, f"no sentence cut at {links} link(s)")


def check_paragraphs(source: Layout, output: Layout) -> Check:
    """One output paragraph per source paragraph, with the same block structure."""
    src_blocks = [p for p in source.parts if isinstance(p, str) and p.startswith("<")]
    out_blocks = [p for p in output.parts if isinstance(p, str) and p.startswith("<")]
    if len(source.runs) != len(output.runs):
        return Check("paragraphs", False,
                     f"{len(output.runs)} paragraph(s) for {len(source.runs)} in the source")
    if [_tag_name(p) for p in src_blocks] != [_tag_name(p) for p in out_blocks]:
        return Check("paragraphs", False, "block structure differs from the source")
    return Check("paragraphs", True, f"{len(source.runs)} paragraph(s)")


def _tag_name(markup: str) -> str:
    match = re.match(r"</?([a-zA-Z0-9]+)", markup)
    return (markup[:2] == "</") * "/" + (match.group(1).lower() if match else "")


def check_language(text: str, target: str, detect: Detector | None = None) -> Check:
    """The output is in the target language (text too short to tell passes, and says so)."""
    letters = sum(c.isalpha() for c in text)
    if letters < MIN_LANGUAGE_LETTERS:
        return Check("language", True, f"too short to tell ({letters} letters)")
    code, confidence = (detect or _default_detector())(text.replace("\n", " "))
    detail = f"detected {code or 'nothing'} ({confidence:.2f}), expected {target}"
    return Check("language", code == target, detail)


def _default_detector() -> Detector:
    # Imported here: language detection loads a model, and checks without it should not pay.
    from babelwire.extract.language import detect_language
    return detect_language


def check_untranslated(src_text: str, out_text: str, unknown_words: int,
                       terms: Sequence[ProtectedTerm] = ()) -> Check:
    """Share of output words left untranslated: marked unknown by the engine, or copied.

    Copied words are lower-case words of five letters or more found as such in the source and
    not part of a protected term: an engine that hands back the source is caught even if it marks
    nothing. Cognates ("general", "hotel") count too, hence a tolerant threshold.
    """
    protected = {w.lower() for t in terms for w in _WORD.findall(t.text)}
    source_words = {w for w in _WORD.findall(src_text) if w.islower()}
    words = _WORD.findall(out_text)
    if not words:
        return Check("untranslated", True, "no words")
    copied = sum(1 for w in words if len(w) >= 5 and w in source_words and w not in protected)
    share = max(unknown_words, copied) / len(words)
    detail = (f"{share:.0%} of {len(words)} words untranslated ({unknown_words} unknown to the "
              f"engine, {copied} copied from the source); limit {MAX_UNTRANSLATED:.0%}")
    return Check("untranslated", share <= MAX_UNTRANSLATED, detail)


def check_length(src_text: str, out_text: str) -> Check:
    """The output is between half and twice the length of the source."""
    src_len, out_len = len(src_text.strip()), len(out_text.strip())
    if src_len == 0:
        return Check("length_ratio", out_len == 0, f"{out_len} characters for an empty source")
    ratio = out_len / src_len
    low, high = LENGTH_RATIO
    if src_len < MIN_LENGTH_CHARS:
        return Check("length_ratio", out_len > 0, f"{ratio:.2f} ({out_len}/{src_len} characters); "
                     "too short to judge the ratio")
    return Check("length_ratio", low <= ratio <= high,
                 f"{ratio:.2f} ({out_len}/{src_len} characters), expected {low}-{high}")


def check_words(report: WordReport, max_foreign: float = MAX_FOREIGN) -> Check:
    """No glued or garbled word, and at most ``max_foreign`` of the words left in the source or
    pivot language (or fewer than ``MIN_FOREIGN_WORDS`` of them)."""
    problems = []
    if report.glued:
        problems.append(f"glued: {_listed(report.glued)}")
    if report.garbled:
        problems.append(f"garbled: {_listed(report.garbled)}")
    share = report.foreign_share
    left = "; ".join(f"{lang}: {_listed(words)}" for lang, words in sorted(report.foreign.items()))
    terms = sum(len(words) for words in report.terms.values())
    summary = (f"{share:.1%} of {report.words} words left in another language"
               + (f" ({left})" if left else "") + f"; limit {max_foreign:.0%}"
               + (f"; {terms} word(s) of the source no engine dictionary has, marked"
                  if terms else ""))
    if share > max_foreign and report.foreign_count >= MIN_FOREIGN_WORDS:
        problems.append(summary)
    if problems:
        return Check("words", False, "; ".join(problems))
    return Check("words", True, summary)


def _listed(words: Sequence[str], limit: int = 8) -> str:
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    shown = [f"{w!r}" + (f" x{n}" if n > 1 else "") for w, n in list(counts.items())[:limit]]
    more = len(counts) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def check_names_kept(names: SourceNames, output: Sequence[str], aligned: bool,
                     glossary: dict[str, str] | None = None, titled: bool = True) -> Check:
    """Each name the checker found in a source block is in the same block of the output
    (block 0 is the title when ``titled``)."""
    missing = missing_names(names, output, aligned, glossary)
    problems = [f"{name!r} missing from {_block_label(block, titled)}" for name, block in missing]
    return _result("names", problems, f"{len(names.blocks)} name(s) of the source kept")
