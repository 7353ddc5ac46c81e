"""The checks of a draft translation and the status they lead to: the checking step.

``translate`` makes a :class:`~babelwire.translate.document.Draft`; ``check_draft`` reads it as a
reader would -- the source's names found by the checker's own method (``quality.names``), every
word of the output against the target's dictionaries (``quality.words``), and the structural
checks (``quality.checks``) -- and returns the :class:`~babelwire.models.Translation` with its
checks, its status, and the words left in another language marked with their language.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from html import escape

from babelwire.models import GlossaryEntry, Translation, TranslationStatus
from babelwire.quality.checks import MAX_FOREIGN, Detector, run_checks, status_for
from babelwire.quality.names import NamesInText, SourceNames, source_names
from babelwire.quality.words import (
    WordReport,
    classify_words,
    common_words,
    fold,
    mark_languages,
)
from babelwire.translate.dictionaries import Dictionaries
from babelwire.translate.document import Draft
from babelwire.translate.names.lexicon import ApertiumLexicon


def check_draft(draft: Draft, *, dictionaries: Dictionaries | None,
                lexicon: ApertiumLexicon | None, detect: Detector | None = None,
                max_foreign: float = MAX_FOREIGN, glossary: Sequence[GlossaryEntry] = (),
                names_memo: NamesMemo | None = None) -> Translation:
    """``draft`` checked: published when every check passes, held otherwise, failed when the
    draft has no text.

    ``dictionaries`` (every dictionary per language) and ``lexicon`` (Apertium's analyser of
    the source language) feed the ``words`` and ``names`` checks, which are not run without
    them; ``detect`` is the language detector of the output-language check; ``max_foreign``
    the share of words that may be left in the source or a pivot language. ``names_memo``
    (one per article) keeps the names found in the source for the article's other target
    languages: only their exonyms depend on the target, so they are found once per analyser.
    """
    if draft.reason:
        return Translation(lang=draft.lang, engine="", title="", html="", text="",
                           status=TranslationStatus.FAILED, reason=draft.reason,
                           attribution=draft.attribution, source_lang=draft.source_lang)
    names = _source_names(draft, lexicon, names_memo)
    words = _word_report(draft, dictionaries, names)
    checks = run_checks(draft.source_html, draft.html, source_lang=draft.source_lang,
                        target=draft.lang, terms=draft.terms, source_title=draft.source_title,
                        output_title=draft.title, unknown_words=draft.unknown, detect=detect,
                        words=words, max_foreign=max_foreign, names=names,
                        glossary={**{e.term: e.translation for e in glossary if e.translation},
                                  **{t.text: t.replacement for t in draft.terms
                                     if t.replacement}},
                        source_doc=draft.source_layout, source_title_run=draft.source_title_run)
    marks = words.marks() if words is not None else {}
    # a title kept as the source writes it ("The Good Life") is in the source's language
    titles = {t.text: draft.source_lang for t in draft.terms
              if t.kind == "title" and t.replacement is None}
    body = mark_languages(draft.html, marks, titles)
    heading = mark_languages(escape(draft.title), marks, titles)
    return Translation(lang=draft.lang, engine=draft.engine, title=draft.title, html=body,
                       title_html=heading if heading != escape(draft.title) else "",
                       text=draft.text, status=status_for(checks), checks=checks,
                       attribution=draft.attribution, source_lang=draft.source_lang,
                       repairs=draft.repairs, names=draft.names)


# The names found in one article's source, by what they were found from (``check_draft``).
NamesMemo = dict[tuple[object, ...], NamesInText]


def _source_names(draft: Draft, lexicon: ApertiumLexicon | None,
                  memo: NamesMemo | None) -> SourceNames | None:
    """The source's names as the checker finds them (None without an analyser of the source).

    The same as ``quality.names.find_names``; the part that does not depend on the target is
    kept in ``memo`` under everything it is found from, the analyser's file standing for its
    cut of the text."""
    if lexicon is None:
        return None
    read = [*draft.blocks, *draft.context]
    key = (tuple(read), draft.source_lang, tuple(draft.evidence), len(draft.blocks),
           str(lexicon.analyser))
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = source_names(read, lexicon.analyse(read), draft.source_lang,
                             evidence=draft.evidence, checked=len(draft.blocks))
        if memo is not None:
            memo[key] = found
    return found.with_exonyms(lexicon.translate_lemmas)


def _word_report(draft: Draft, dictionaries: Dictionaries | None,
                 names: SourceNames | None) -> WordReport | None:
    """What each word of the output is; None without a dictionary of the target."""
    if dictionaries is None or not dictionaries.available(draft.lang):
        return None
    found = {w for name in (names.words() if names else ()) for w in name.split()}
    firsts = {t.text.split()[0].lower() for t in draft.terms if t.kind in _FOUND and t.text.split()}
    common = common_words(draft.source_text) | {
        fold(w) for w in (dictionaries.analysed(draft.source_lang, firsts) if firsts else ())}
    # The translator's protected terms are taken as names only where the checker's own finding
    # agrees or nothing says otherwise: a term the checker does not find as a name whose first
    # word is a common word of the source (written in lower case there, or known so to its
    # analyser: "En el proceso", "Contre", protected where a sentence opened after "la T4." or
    # "Las.") is read as the words it is.
    trusted = [t for t in draft.terms if t.kind not in _FOUND or t.replacement is not None
               or _named(t.text, found, common)]
    kept = {t.replacement or t.text for t in trusted}
    copied = {w for t in trusted if t.replacement is None for w in t.text.split()} | found
    return classify_words(f"{draft.title}\n{draft.text}", draft.source_text, target=draft.lang,
                          source_lang=draft.source_lang, dictionaries=dictionaries, kept=kept,
                          names=copied, pivots=_pivots(draft.engine))


# The kinds of protected terms the translator found by itself (not the editors' glossary, the
# site's name, the list of publications or a literal address).
_FOUND = frozenset({"anchor", "known", "name"})


def _named(term: str, found: Collection[str], common: Collection[str]) -> bool:
    """Whether a protected term may be taken for a name: the checker found one of its words
    as a name, or its first word is not a common word of the source (``common``, folded)."""
    words = term.split()
    return not words or any(w in found for w in words) or fold(words[0]) not in common


def _pivots(engine: str) -> list[str]:
    """The languages in the middle of a route label ("apertium (en→es→fr)" -> ["es"])."""
    chain = engine.partition("(")[2].rstrip(")").split("→")
    return chain[1:-1]
