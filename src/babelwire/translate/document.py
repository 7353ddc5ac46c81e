"""Translating an article (or the lines of a text file) faithfully: a draft for the checks.

The steps: cut the body into blocks and units (sentences a tag does not cross); find the terms to
protect; write each unit in neutral markup; send every distinct unit in one batch through the
router; repair what the engine broke (a split link is joined; a dropped link or term is re-asked
with a placeholder in its place and its text translated on its own); put the original tags back;
fix the target language's typography and the capitals the engine lost. The result is a
:class:`Draft`: the translation with everything the checks (``quality``) read beside it. Engine
trouble never raises: the draft comes back with the reason it has no text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import partial

from babelwire import i18n
from babelwire.exceptions import TranslateError
from babelwire.models import Article, Attribution, GlossaryEntry
from babelwire.translate import markup
from babelwire.translate.attribution import attribution_for, site_of
from babelwire.translate.markup import Node
from babelwire.translate.names.detect import ProtectedTerm, detect_terms, find_spans
from babelwire.translate.passages import sentence_languages
from babelwire.translate.recase import (
    case_fixes,
    lower_mid_sentence,
    mid_sentence_capitals,
    replace_words,
)
from babelwire.translate.restore import Encoding, atoms_html, atoms_text, encode_unit, render, tidy
from babelwire.translate.router import Router
from babelwire.translate.runs import Layout, Run, parse_document, parse_text
from babelwire.translate.typography import Atom, clean_atoms

_X_BASE = {"g": 10_000, "k": 20_000}       # placeholder ids standing for a dropped g or k


@dataclass(frozen=True)
class Draft:
    """A translation before its checks: what the engines made, repaired, and what the checks
    compare it with. ``reason`` says why there is no text (every engine failed)."""

    lang: str
    source_lang: str
    engine: str
    title: str
    html: str
    text: str
    attribution: Attribution | None
    source_html: str = ""
    source_title: str = ""
    source_text: str = ""                 # every source block (the title first), one a line
    blocks: tuple[str, ...] = ()          # the source blocks names are looked for in
    terms: tuple[ProtectedTerm, ...] = ()
    unknown: int = 0                      # words the engine marked as unknown
    repairs: tuple[str, ...] = ()
    names: tuple[str, ...] = ()           # protected names the output holds verbatim
    evidence: tuple[str, ...] = ()        # names known from outside the text (author, earlier)
    context: tuple[str, ...] = ()         # more of the page's text, read for evidence only
    reason: str = ""
    # the source as cut for translation (body, title), for the checks to read as it is
    source_layout: Layout | None = None
    source_title_run: Run | None = None


@dataclass(frozen=True)
class SourceText:
    """An article's body and title cut into runs, once for all its target languages (made by
    :func:`read_source`, handed to each of its drafts).

    The protected terms are not kept here: they depend on the target through its pair's
    analyser and the exonyms of its bilingual dictionaries ("New York" has a form of its own
    in eng-spa's, none through Spanish to French), which differed between the two targets of
    19 of the demo's 23 articles."""

    article: Article
    layout: Layout
    title_run: Run


def read_source(article: Article) -> SourceText:
    """``article``'s source text cut into runs, for its drafts into every target language.

    The text is read in Unicode's composed form (NFC): a page that writes "Año" as "An" and a
    combining tilde had its word cut in two at the mark, by the engine and by every check
    ("Festejos de Año Nuevo" came out "Celebrations of Añor New": "o" read as "or")."""
    return SourceText(article, parse_document(source_form(article.html, article.lang),
                                              article.lang),
                      parse_text(source_form(article.title, article.lang), article.lang))


def composed(text: str) -> str:
    """``text`` in Unicode's composed form (NFC)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# Spanish writes the United States "EE.UU." (or "EE. UU.", "EEUU"). No engine dictionary into
# French has it, so it was published as it is ("le président des EE.UU."), and "EE. UU." ended
# a sentence at its first stop ("Les exportations à EE. UU. Ils ont grandi"). Written out, the
# engines know it ("des États-Unis", "aux États-Unis"). Its stop also ends the sentence where
# a capital or the text's end follows, and stays there.
_SPELLED_OUT = {"es": ((re.compile(r"\bEE\.\s?UU\.(?=\s+[A-ZÁÉÍÓÚÑ¿¡«\"“]|\s*$|\s*<)"),
                        "Estados Unidos."),
                       (re.compile(r"\bEE\.\s?UU\.|\bEEUU\b"), "Estados Unidos"))}


def source_form(text: str, lang: str) -> str:
    """``text`` as the translation reads it: composed (``composed``), with the abbreviations
    no engine knows written out (``_SPELLED_OUT``)."""
    text = composed(text)
    for pattern, full in _SPELLED_OUT.get(lang, ()):
        text = pattern.sub(full, text)
    return text


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


def draft_article(article: Article, target: str, router: Router, *,
                  glossary: Sequence[GlossaryEntry] = (), notice: str | None = None,
                  retry_later: bool = False, known: Sequence[str] = (),
                  source: SourceText | None = None) -> Draft:
    """Translate ``article`` into ``target``, unchecked.

    ``notice`` overrides the machine-translation notice; ``known`` names earlier translations of
    the same source kept (evidence for this article's names, with its author, keywords and
    description); ``source`` is the work on this article's text shared with its other targets
    (``read_source(article)``; made here when None). Never raises for engine trouble: the draft
    then carries the reason, unless ``retry_later`` is set and the trouble may pass (every
    engine down): then the ``TranslateError`` is raised, so that the item is tried again later.
    """
    src = article.lang
    if source is None or source.article is not article:
        source = read_source(article)
    layout, title_run = source.layout, source.title_run
    runs = [title_run, *layout.runs]
    evidence = (*_authors(article.author), *known)
    try:
        _require_language(src)
        terms = detect_terms([r.text for r in runs], src, target, site_name=site_of(article),
                             anchors=_anchors(layout), glossary=glossary,
                             lexicon=router.lexicon(src, target), context=[article.summary],
                             known=list(evidence), keywords=article.keywords,
                             common=partial(router.dictionaries().analysed, src))
        outcome = _translate_runs(runs, src, target, router, terms)
    except TranslateError as exc:
        if retry_later and exc.retryable:
            raise
        return _failed(article, target, exc, notice)
    title = atoms_text(outcome.runs[0])
    body = _assemble(layout, [atoms_html(a) for a in outcome.runs[1:]])
    text = "\n".join(atoms_text(a) for a in outcome.runs[1:])
    source_text = "\n".join(r.text for r in runs)
    title, body, text = _recase(title, body, text, target, router, outcome, source_text)
    attribution = attribution_for(article, notice or i18n.notice(
        target, src, outcome.engine, site_of(article)))
    return Draft(lang=target, source_lang=src, engine=outcome.engine, title=title, html=body,
                 text=text, attribution=attribution, source_html=article.html,
                 source_title=source_form(article.title, src), source_text=source_text,
                 # numbered as the checks number blocks: the title first, when there is one
                 blocks=tuple(r.text for r in runs[0 if article.title else 1:]),
                 terms=tuple(terms), unknown=outcome.unknown, repairs=tuple(outcome.repairs),
                 names=_kept_names(terms, f"{title}\n{text}"),
                 evidence=tuple(e for e in evidence if e),
                 context=tuple(c for c in (article.summary,) if c.strip()),
                 source_layout=layout, source_title_run=title_run)


def draft_lines(lines: Sequence[str], src: str, target: str, router: Router, *,
                glossary: Sequence[GlossaryEntry] = (), notice: str | None = None) -> Draft:
    """Translate plain-text lines (one paragraph each), unchecked: ``text`` has one line per
    input line."""
    runs = [parse_text(source_form(line, src), src) for line in lines]
    empty = Article(url="", title="", html="", text="\n".join(lines), lang=src)
    try:
        _require_language(src)
        terms = detect_terms([r.text for r in runs], src, target, glossary=glossary,
                             lexicon=router.lexicon(src, target),
                             common=partial(router.dictionaries().analysed, src))
        outcome = _translate_runs(runs, src, target, router, terms)
    except TranslateError as exc:
        return _failed(empty, target, exc, notice)
    texts = [atoms_text(a).replace("\n", " ") for a in outcome.runs]
    source_html = "".join(f"<p>{atoms_html([(False, r.text)])}</p>" for r in runs if r.text)
    body = "".join(f"<p>{atoms_html(a)}</p>" for a, r in zip(outcome.runs, runs, strict=True)
                   if r.text)
    joined, body, _ = _recase("\n".join(texts), body, "", target, router, outcome,
                              "\n".join(lines))
    attribution = Attribution("", "", "", None, notice or i18n.notice(
        target, src, outcome.engine))
    return Draft(lang=target, source_lang=src, engine=outcome.engine, title="", html=body,
                 text=joined, attribution=attribution, source_html=source_html,
                 source_text="\n".join(r.text for r in runs),
                 blocks=tuple(r.text for r in runs if r.text), terms=tuple(terms),
                 unknown=outcome.unknown, repairs=tuple(outcome.repairs))


def _recase(title: str, body: str, text: str, target: str, router: Router,
            outcome: _Outcome, source: str) -> tuple[str, str, str]:
    """Names an engine wrote in lower case ("e italia") given their capital back, and
    closed-class words it capitalised in mid-sentence ("Forte A dit") their lower case."""
    closed = _closed_class(router, target)
    lowered = mid_sentence_capitals(f"{title}\n{text}", source, closed) if closed else set()
    if lowered:
        outcome.repairs.append("capitals taken out: " + ", ".join(sorted(lowered)))
        title, body, text = (lower_mid_sentence(title, lowered),
                             lower_mid_sentence(body, lowered), lower_mid_sentence(text, lowered))
    dictionaries = router.dictionaries()
    if not dictionaries.available(target):
        return title, body, text
    fixes = case_fixes(f"{title}\n{text}", target, dictionaries, source)
    if not fixes:
        return title, body, text
    outcome.repairs.append("capitals put back: " + ", ".join(sorted(fixes.values())))
    return (replace_words(title, fixes), replace_words(body, fixes),
            replace_words(text, fixes))


def _closed_class(router: Router, lang: str) -> Callable[[Collection[str]], set[str]] | None:
    """Which of some capitalised words an analyser of ``lang`` reads, in lower case, as
    closed-class words, and whose capitalised form it never reads as a common noun its
    dictionary writes with a capital ("May" the month, beside the modal "may"; a name is no
    such noun: "It Will replace" is the modal). None when no installed pair analyses ``lang``.
    """
    lexicon = router.closed_class_lexicon(lang)
    if lexicon is None:
        return None

    def closed(words: Collection[str]) -> set[str]:
        ordered = sorted(words)
        # the lower-case forms and the words as written, in one call to the analyser
        analysed = lexicon.analyse([*(w.lower() for w in ordered), *ordered])
        lower, upper = analysed[:len(ordered)], analysed[len(ordered):]
        return {word for word, low, up in zip(ordered, lower, upper, strict=True)
                if len(low) == 1 and any(r.pos in _CLOSED for r in low[0].readings)
                and not (len(up) == 1 and any(r.pos == "n" and r.lemma[:1].isupper()
                                              and len(r.lemma) > 1   # not the letter "A"
                                              for r in up[0].readings))}
    return closed


# An article, a preposition, a conjunction, a pronoun or an auxiliary: "Est" (also "east") and
# "A" (also the letter) are read as such too; adverbs and numerals are left out ("Hoy", "Dos").
_CLOSED = frozenset({"det", "pr", "cnjcoo", "cnjsub", "prn", "rel", "vbser", "vbhaver", "vaux",
                     "vbmod"})


_NAME_KINDS = frozenset({"name", "title", "anchor", "known", "publication", "site"})


def _kept_names(terms: Sequence[ProtectedTerm], output: str) -> tuple[str, ...]:
    """The protected names (not glossary terms, not literals) the output holds verbatim."""
    return tuple(sorted({t.text for t in terms if t.kind in _NAME_KINDS and t.replacement is None
                         and find_spans(output, [t])}))


def _authors(author: str) -> list[str]:
    """The names of a byline ("A, B and C", "A y B", "A et B")."""
    return [a.strip() for a in re.split(r",|\band\b|\by\b|\bet\b|&|/", author) if a.strip()]


def _require_language(src: str) -> None:
    if not src:
        raise TranslateError("the source language is unknown")


def _anchors(layout: Layout) -> list[str]:
    return [run.text[t.start:t.end] for run in layout.runs for t in run.tags if t.tag == "a"]


def _failed(article: Article, target: str, exc: TranslateError, notice: str | None) -> Draft:
    hint = getattr(exc, "hint", "")
    reason = f"{type(exc).__name__}: {exc}" + (f" (hint: {hint})" if hint else "")
    return Draft(lang=target, source_lang=article.lang, engine="", title="", html="", text="",
                 attribution=attribution_for(article, notice or ""), reason=reason)


def _assemble(layout: Layout, runs: Sequence[str]) -> str:
    return "".join(part if isinstance(part, str) else runs[part] for part in layout.parts)


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
    """Translate each distinct segment once (a repeated sentence is never paid for twice),
    from the language it is written in (:mod:`.passages`): a quoted sentence in the target
    language is kept as it is, one in a third language translated from that language."""
    unique = list(dict.fromkeys(segments))
    others = {lang for lang in router.dictionaries().languages() - {src}
              if lang == tgt or router.routes(lang, tgt)}
    langs = sentence_languages(unique, src, others, router.dictionaries())
    answers = {s: s for s, lang in zip(unique, langs, strict=True) if lang == tgt}
    engine = ""
    for lang in dict.fromkeys([src, *langs]):
        if lang == tgt:
            continue
        group = [s for s, one in zip(unique, langs, strict=True) if one == lang]
        if not group and lang != src:
            continue
        routed = router.translate(group, lang, tgt)
        answers.update(zip(group, routed.texts, strict=True))
        engine = engine or routed.engine
    return [answers[s] for s in segments], engine


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
