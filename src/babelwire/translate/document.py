"""Translating an article (or the lines of a text file) faithfully, then checking it.

The steps: cut the body into blocks and units (sentences a tag does not cross); find the terms to
protect; write each unit in neutral markup; send every distinct unit in one batch through the
router; repair what the engine broke (a split link is joined; a dropped link or term is re-asked
with a placeholder in its place and its text translated on its own); put the original tags back;
fix the target language's typography; run the checks; the status follows from them. Engine
trouble never raises: the translation comes back ``failed`` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from babelwire.exceptions import TranslateError
from babelwire.models import Article, Attribution, GlossaryEntry, Translation, TranslationStatus
from babelwire.quality.checks import MAX_FOREIGN, Detector, run_checks, status_for
from babelwire.quality.names import SourceNames, find_names
from babelwire.quality.words import (
    WordReport,
    case_fixes,
    classify_words,
    mark_languages,
    replace_words,
)
from babelwire.translate import markup
from babelwire.translate.blocks import Run, Template, parse_document, parse_text
from babelwire.translate.cleanup import Atom, clean_atoms
from babelwire.translate.markup import Node
from babelwire.translate.notice import attribution_for, notice_text, site_of
from babelwire.translate.protect import ProtectedTerm, detect_terms, find_spans
from babelwire.translate.restore import Encoding, atoms_html, atoms_text, encode_unit, render, tidy
from babelwire.translate.router import Router, engines_in

_X_BASE = {"g": 10_000, "k": 20_000}       # placeholder ids standing for a dropped g or k


@dataclass
class _Slot:
    """One unit on its way through the engine."""

    where: str
    enc: Encoding
    nodes: list[Node] = field(default_factory=list)


@dataclass
class _Outcome:
    """Translated runs as atoms, and what happened on the way."""

    runs: list[list[Atom]]
    engine: str
    unknown: int = 0
    repairs: list[str] = field(default_factory=list)


def translate_article(article: Article, target: str, router: Router, *,
                      glossary: Sequence[GlossaryEntry] = (), notice: str | None = None,
                      detect: Detector | None = None, retry_later: bool = False,
                      max_foreign: float = MAX_FOREIGN, known: Sequence[str] = ()) -> Translation:
    """Translate ``article`` into ``target``; the status comes from the fidelity checks.

    ``notice`` overrides the machine-translation notice; ``detect`` the language detector used by
    the output-language check; ``max_foreign`` the share of words that may be left in the source
    or pivot language (more holds the translation); ``known`` names earlier translations of the
    same source kept (evidence for this article's names, with its author, keywords and
    description). Words left in another language are marked with their language in the HTML
    (``<span lang="es">``). Never raises for engine trouble:
    the status is then ``failed``, unless ``retry_later`` is set and the trouble may pass
    (every engine down): then the ``TranslateError`` is raised, so that the item is tried
    again later. A translation held by the checks is made again without its engine(s) while
    another route serves the pair.
    """
    return _with_fallback(lambda r: _translate_article(
        article, target, r, glossary, notice, detect, retry_later, max_foreign, known), router,
        article.lang, target)


def _translate_article(article: Article, target: str, router: Router,
                       glossary: Sequence[GlossaryEntry], notice: str | None,
                       detect: Detector | None, retry_later: bool,
                       max_foreign: float, known: Sequence[str]) -> Translation:
    src = article.lang
    template = parse_document(article.html, src)
    title_run = parse_text(article.title, src)
    runs = [title_run, *template.runs]
    try:
        _require_language(src)
        terms = detect_terms([r.text for r in runs], src, target, site_name=site_of(article),
                             anchors=_anchors(template), glossary=glossary,
                             lexicon=router.lexicon(src, target), context=[article.summary],
                             known=[*_authors(article.author), *known],
                             keywords=article.keywords)
        outcome = _translate_runs(runs, src, target, router, terms)
    except TranslateError as exc:
        if retry_later and exc.retryable:
            raise
        return _failed(article, target, exc, notice)
    title = atoms_text(outcome.runs[0])
    body = _assemble(template, [atoms_html(a) for a in outcome.runs[1:]])
    text = "\n".join(atoms_text(a) for a in outcome.runs[1:])
    title, body, text = _recase(title, body, text, target, router, outcome,
                                "\n".join(r.text for r in runs))
    # numbered as the checks number blocks: the title first, when there is one
    names = _source_names([r.text for r in runs[0 if article.title else 1:]], src, target,
                          router, [*_authors(article.author), *known], [article.summary])
    words = _word_report("\n".join(r.text for r in runs), f"{title}\n{text}", src, target,
                         router, terms, outcome.engine, names)
    checks = run_checks(article.html, body, source_lang=src, target=target, terms=terms,
                        source_title=article.title, output_title=title,
                        unknown_words=outcome.unknown, detect=detect, words=words,
                        max_foreign=max_foreign, names=names, glossary=_fixed(glossary))
    if words is not None:
        body = mark_languages(body, words.marks())
    attribution = attribution_for(article, notice or notice_text(
        target, src, outcome.engine, site_of(article)))
    return Translation(lang=target, engine=outcome.engine, title=title, html=body, text=text,
                       status=status_for(checks), checks=checks, attribution=attribution,
                       source_lang=src, repairs=tuple(outcome.repairs),
                       names=_kept_names(terms, f"{title}\n{text}"))


def translate_lines(lines: Sequence[str], src: str, target: str, router: Router, *,
                    glossary: Sequence[GlossaryEntry] = (), notice: str | None = None,
                    detect: Detector | None = None,
                    max_foreign: float = MAX_FOREIGN) -> Translation:
    """Translate plain-text lines (one paragraph each): ``text`` has one line per input line."""
    return _with_fallback(lambda r: _translate_lines(lines, src, target, r, glossary, notice,
                                                     detect, max_foreign), router, src, target)


def _translate_lines(lines: Sequence[str], src: str, target: str, router: Router,
                     glossary: Sequence[GlossaryEntry], notice: str | None,
                     detect: Detector | None, max_foreign: float) -> Translation:
    runs = [parse_text(line, src) for line in lines]
    empty = Article(url="", title="", html="", text="\n".join(lines), lang=src)
    try:
        _require_language(src)
        terms = detect_terms([r.text for r in runs], src, target, glossary=glossary,
                             lexicon=router.lexicon(src, target))
        outcome = _translate_runs(runs, src, target, router, terms)
    except TranslateError as exc:
        return _failed(empty, target, exc, notice)
    texts = [atoms_text(a).replace("\n", " ") for a in outcome.runs]
    source_html = "".join(f"<p>{atoms_html([(False, r.text)])}</p>" for r in runs if r.text)
    body = "".join(f"<p>{atoms_html(a)}</p>" for a, r in zip(outcome.runs, runs, strict=True)
                   if r.text)
    joined, body, _ = _recase("\n".join(texts), body, "", target, router, outcome,
                              "\n".join(lines))
    texts = joined.split("\n")
    names = _source_names([r.text for r in runs if r.text], src, target, router)
    words = _word_report("\n".join(r.text for r in runs), "\n".join(texts), src, target,
                         router, terms, outcome.engine, names)
    checks = run_checks(source_html, body, source_lang=src, target=target, terms=terms,
                        unknown_words=outcome.unknown, detect=detect, words=words,
                        max_foreign=max_foreign, names=names, glossary=_fixed(glossary))
    if words is not None:
        body = mark_languages(body, words.marks())
    attribution = Attribution("", "", "", None, notice or notice_text(
        target, src, outcome.engine, ""))
    return Translation(lang=target, engine=outcome.engine, title="", html=body,
                       text="\n".join(texts), status=status_for(checks), checks=checks,
                       attribution=attribution, source_lang=src, repairs=tuple(outcome.repairs))


def _with_fallback(attempt: Callable[[Router], Translation], router: Router, src: str,
                   target: str) -> Translation:
    """The first translation that passes the checks, trying routes without the engines that
    made a held one; the first held translation if none passes."""
    first = result = attempt(router)
    while result.status == TranslationStatus.HELD and engines_in(result.engine) \
            and router.can_fall_back(src, target, result.engine):
        failed = ", ".join(c.name for c in result.checks if not c.ok)
        router = router.without(engines_in(result.engine))
        try:
            result = attempt(router)
        except TranslateError:          # the fallback is down too: keep the held translation
            return first
        if result.status == TranslationStatus.PUBLISHED:
            note = f"{first.engine}'s translation failed checks ({failed}); used {result.engine}"
            return replace(result, repairs=(*result.repairs, note))
    return first


def _recase(title: str, body: str, text: str, target: str, router: Router,
            outcome: _Outcome, source: str) -> tuple[str, str, str]:
    """Names an engine wrote in lower case ("e italia") given their capital back."""
    dictionaries = router.dictionaries()
    if not dictionaries.available(target):
        return title, body, text
    fixes = case_fixes(f"{title}\n{text}", target, dictionaries, source)
    if not fixes:
        return title, body, text
    outcome.repairs.append("capitals put back: " + ", ".join(sorted(fixes.values())))
    return (replace_words(title, fixes), replace_words(body, fixes),
            replace_words(text, fixes))


def _word_report(source: str, output: str, src: str, target: str, router: Router,
                 terms: Sequence[ProtectedTerm], engine: str,
                 names: SourceNames | None) -> WordReport | None:
    """What each word of the output is (``quality.words``); None without a target dictionary."""
    dictionaries = router.dictionaries()
    if not dictionaries.available(target):
        return None
    kept = {t.replacement or t.text for t in terms}
    copied = {w for t in terms if t.replacement is None for w in t.text.split()}
    copied |= {w for name in (names.words() if names else ()) for w in name.split()}
    return classify_words(output, source, target=target, source_lang=src,
                          dictionaries=dictionaries, kept=kept, names=copied,
                          pivots=_pivots(engine))


def _source_names(blocks: Sequence[str], src: str, target: str, router: Router,
                  evidence: Sequence[str] = (),
                  context: Sequence[str] = ()) -> SourceNames | None:
    """The source's names as the checker finds them (None without an analyser of ``src``);
    ``context`` is more of the page's text, read for evidence only."""
    lexicon = router.lexicon(src, target)
    if lexicon is None:
        return None
    read = [*blocks, *(c for c in context if c.strip())]
    return find_names(read, lexicon.analyse(read), src, translate=lexicon.translate_lemmas,
                      evidence=[e for e in evidence if e], checked=len(blocks))


_NAME_KINDS = frozenset({"name", "anchor", "known", "publication", "site"})


def _kept_names(terms: Sequence[ProtectedTerm], output: str) -> tuple[str, ...]:
    """The protected names (not glossary terms, not literals) the output holds verbatim."""
    return tuple(sorted({t.text for t in terms if t.kind in _NAME_KINDS and t.replacement is None
                         and find_spans(output, [t])}))


def _authors(author: str) -> list[str]:
    """The names of a byline ("A, B and C", "A y B", "A et B")."""
    return [a.strip() for a in re.split(r",|\band\b|\by\b|\bet\b|&|/", author) if a.strip()]


def _fixed(glossary: Sequence[GlossaryEntry]) -> dict[str, str]:
    """Glossary terms with a fixed translation."""
    return {e.term: e.translation for e in glossary if e.translation}


def _pivots(engine: str) -> list[str]:
    """The languages in the middle of a route label ("apertium (en→es→fr)" -> ["es"])."""
    chain = engine.partition("(")[2].rstrip(")").split("→")
    return chain[1:-1]


def _require_language(src: str) -> None:
    if not src:
        raise TranslateError("the source language is unknown")


def _anchors(template: Template) -> list[str]:
    return [run.text[t.start:t.end] for run in template.runs for t in run.tags if t.tag == "a"]


def _failed(article: Article, target: str, exc: TranslateError,
            notice: str | None) -> Translation:
    hint = getattr(exc, "hint", "")
    reason = f"{type(exc).__name__}: {exc}" + (f" (hint: {hint})" if hint else "")
    attribution = attribution_for(article, notice or "")
    return Translation(lang=target, engine="", title="", html="", text="",
                       status=TranslationStatus.FAILED, reason=reason, attribution=attribution,
                       source_lang=article.lang)


def _assemble(template: Template, runs: Sequence[str]) -> str:
    return "".join(part if isinstance(part, str) else runs[part] for part in template.parts)


def _translate_runs(runs: Sequence[Run], src: str, tgt: str, router: Router,
                    terms: Sequence[ProtectedTerm]) -> _Outcome:
    slots = [[_Slot(_where(r, u), encode_unit(unit, find_spans(unit.text, terms)))
              for u, unit in enumerate(run.units)] for r, run in enumerate(runs)]
    flat = [slot for run_slots in slots for slot in run_slots]
    texts, engine = _translate_unique([s.enc.segment for s in flat], src, tgt, router)
    outcome = _Outcome([], engine)
    retry: list[tuple[_Slot, set[tuple[str, int]]]] = []
    for slot, text in zip(flat, texts, strict=True):
        slot.nodes = markup.parse(text)
        outcome.unknown += markup.strip_unknown(slot.nodes)
        missing, repairs = tidy(slot.nodes, slot.enc, slot.where)
        outcome.repairs.extend(repairs)
        if missing:
            retry.append((slot, missing))
    if retry:
        _retranslate(retry, src, tgt, router, outcome)
    kept = {t.replacement or t.text for t in terms}
    for run, run_slots in zip(runs, slots, strict=True):
        atoms = _run_atoms(run, run_slots)
        outcome.runs.append(clean_atoms(atoms, src, tgt, keep=kept))
    return outcome


def _where(run: int, unit: int) -> str:
    return f"{'title' if run == 0 else f'block {run}'} sentence {unit + 1}"


def _translate_unique(segments: Sequence[str], src: str, tgt: str,
                      router: Router) -> tuple[list[str], str]:
    """Translate each distinct segment once (a repeated sentence is never paid for twice)."""
    unique = list(dict.fromkeys(segments))
    routed = router.translate(unique, src, tgt)
    answers = dict(zip(unique, routed.texts, strict=True))
    return [answers[s] for s in segments], routed.engine


def _run_atoms(run: Run, slots: Sequence[_Slot]) -> list[Atom]:
    atoms: list[Atom] = []
    for index, gap in enumerate(run.gaps):
        if gap:
            atoms.append((True, gap) if "<" in gap else (False, gap))
        if index < len(slots):
            atoms.extend(render(slots[index].nodes, slots[index].enc))
    return atoms


def _retranslate(retry: Sequence[tuple[_Slot, set[tuple[str, int]]]], src: str, tgt: str,
                 router: Router, outcome: _Outcome) -> None:
    """Re-ask for units whose links or terms the engine dropped, each as its own segment.

    The unit goes again with a placeholder where the element was, and the element's text is
    translated apart (a link's text) or kept (a protected term), then put at the placeholder.
    """
    requests: list[str] = []
    plans = []
    for slot, missing in retry:
        source = markup.parse(slot.enc.segment)
        subs = _punch_holes(source, missing)
        plans.append((slot, missing, len(requests), subs))
        requests.append(markup.serialize(source))
        requests.extend(sub for _, sub in subs if sub is not None)
    texts, _ = _translate_unique(requests, src, tgt, router)
    for slot, missing, at, subs in plans:
        _apply_retry(slot, missing, texts, at, subs, outcome)


def _punch_holes(nodes: list[Node], missing: set[tuple[str, int]]
                 ) -> list[tuple[tuple[str, int], str | None]]:
    """Replace missing elements by placeholders in place; return each one's own segment.

    An element inside a missing one (a protected name that is a link's whole text) travels in
    its parent's segment and gets no placeholder of its own.
    """
    subs: list[tuple[tuple[str, int], str | None]] = []
    inside: set[int] = set()
    for node, parent in list(markup.walk(nodes)):
        key = (node.kind, node.id)
        if key in missing and node.kind in _X_BASE and id(node) not in inside:
            at = next(i for i, n in enumerate(parent) if n is node)
            parent[at] = Node("x", id=_X_BASE[node.kind] + node.id)
            subs.append((key, markup.serialize(node.children) if node.kind == "g" else None))
            inside.update(id(n) for n, _ in markup.walk(node.children))
    return subs


def _apply_retry(slot: _Slot, missing: set[tuple[str, int]], texts: Sequence[str], at: int,
                 subs: Sequence[tuple[tuple[str, int], str | None]], outcome: _Outcome) -> None:
    nodes = markup.parse(texts[at])
    unknown = markup.strip_unknown(nodes)
    offset = at + 1
    for (kind, ident), sub in subs:
        if sub is not None:
            children = markup.parse(texts[offset])
            unknown += markup.strip_unknown(children)
            offset += 1
        else:
            children = [Node("text", text=slot.enc.term_text.get(ident, ""))]
        _fill(nodes, _X_BASE[kind] + ident, Node(kind, id=ident, children=children))
    labels = ", ".join(_describe(slot.enc, k, i) for k, i in sorted(missing))
    if missing <= markup.count_ids(nodes).keys():
        slot.nodes = nodes
        outcome.unknown += unknown
        outcome.repairs.append(f"{slot.where}: the engine dropped {labels}; re-translated "
                               "with a placeholder and the text on its own")
        tidy(slot.nodes, slot.enc, slot.where)
    else:
        outcome.repairs.append(f"{slot.where}: the engine dropped {labels}; "
                               "re-translating did not bring it back")


def _fill(nodes: list[Node], xid: int, element: Node) -> None:
    for node, parent in list(markup.walk(nodes)):
        if node.kind == "x" and node.id == xid:
            at = next(i for i, n in enumerate(parent) if n is node)
            parent[at] = element
            return


def _describe(enc: Encoding, kind: str, ident: int) -> str:
    if kind == "k":
        return f"protected term {enc.term_text.get(ident, '')!r}"
    tag = enc.tags.get(ident)
    return f"<{tag.tag}> #{ident}" if tag else f"element {ident}"
