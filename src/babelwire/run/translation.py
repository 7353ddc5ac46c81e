"""The translate step of the pipeline: a draft from the engines, then the checks, with fallback.

``translate.document`` makes the draft and ``quality.verdict`` checks it; neither knows the other
is there. A translation held by the checks is made again without its engine(s) while another
route serves the pair, and the first one that passes is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from babelwire.exceptions import TranslateError
from babelwire.models import Article, GlossaryEntry, Translation, TranslationStatus
from babelwire.quality.checks import MAX_FOREIGN, Detector
from babelwire.quality.verdict import NamesMemo, check_draft
from babelwire.translate.document import Draft, SourceText, draft_article, draft_lines, read_source
from babelwire.translate.router import Router, engines_in


@dataclass
class SharedSource:
    """What the translations of one article into several languages share, worked out on its
    source text for the first target and reused by the others: the text cut into runs, and
    the names the checks look for (kept under what they depend on, so that a target whose
    pair analyses the source with another analyser finds its own). The protected terms are
    not shared: they depend on the target's exonyms (see ``translate.document.SourceText``)."""

    text: SourceText
    names: NamesMemo = field(default_factory=dict)


def share_source(article: Article) -> SharedSource:
    """The shared source work of ``article``, for ``translate_article``'s ``shared``."""
    return SharedSource(read_source(article))


def translate_article(article: Article, target: str, router: Router, *,
                      glossary: Sequence[GlossaryEntry] = (), notice: str | None = None,
                      detect: Detector | None = None, retry_later: bool = False,
                      max_foreign: float = MAX_FOREIGN, known: Sequence[str] = (),
                      shared: SharedSource | None = None) -> Translation:
    """Translate ``article`` into ``target`` and check it; the status comes from the checks.

    ``notice`` overrides the machine-translation notice; ``detect`` the language detector of the
    output-language check; ``max_foreign`` the share of words that may be left in the source
    or pivot language (more holds the translation); ``known`` names earlier translations of the
    same source kept; ``shared`` (``share_source(article)``, one for all the article's
    targets) saves doing the source's work again for each. Never raises for engine trouble:
    the status is then ``failed``, unless ``retry_later`` is set and the trouble may pass
    (every engine down): then the ``TranslateError`` is raised, so that the item is tried
    again later.
    """
    if shared is None or shared.text.article is not article:
        shared = share_source(article)

    def attempt(r: Router) -> Translation:
        draft = draft_article(article, target, r, glossary=glossary, notice=notice,
                              retry_later=retry_later, known=known, source=shared.text)
        return _checked(draft, r, detect, max_foreign, glossary, shared.names)

    return _with_fallback(attempt, router, article.lang, target)


def translate_lines(lines: Sequence[str], src: str, target: str, router: Router, *,
                    glossary: Sequence[GlossaryEntry] = (), notice: str | None = None,
                    detect: Detector | None = None,
                    max_foreign: float = MAX_FOREIGN) -> Translation:
    """Translate plain-text lines (one paragraph each) and check them: ``text`` has one line
    per input line."""
    def attempt(r: Router) -> Translation:
        draft = draft_lines(lines, src, target, r, glossary=glossary, notice=notice)
        return _checked(draft, r, detect, max_foreign, glossary, None)

    return _with_fallback(attempt, router, src, target)


def _checked(draft: Draft, router: Router, detect: Detector | None, max_foreign: float,
             glossary: Sequence[GlossaryEntry], names: NamesMemo | None) -> Translation:
    return check_draft(draft, dictionaries=router.dictionaries(),
                       lexicon=router.lexicon(draft.source_lang, draft.lang), detect=detect,
                       max_foreign=max_foreign, glossary=glossary, names_memo=names)


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
