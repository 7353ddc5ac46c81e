"""Sentences written in another language than their article's: quoted tweets and statements.

News articles quote in the original: a Spanish article embeds Donald Trump's tweet in English,
a French one a study's abstract. Sent to the article's engine, such a sentence comes out garbled,
with every check green: "You can't do anything" went through es->fr as "You chien'T don
anything" ("can" read as the Spanish "can", a dog), "They will pay a very BIG PRICE" as "They
will pay à very BIG PRICE". So each sentence is given the language its words belong to: one in
the target language is kept as it is, one in a third language is translated from that language.

A sentence is in language ``L`` rather than its article's when, of its words written in lower
case (capitalised words are names as often as not in any language, and "The Death and Life of
Marsha P." in a French sentence is a title), at least :data:`MIN_WORDS` are known to ``L``'s
dictionaries and not to the article's language's analysers, they outnumber the other way round
more than twice, ``L`` knows at least :data:`MIN_SHARE` of them and the article's language at
most :data:`MAX_OWN_SHARE`. Measured on the development texts of ``bench/fidelity.py`` (7,733
sentences of es, fr and en pages and story texts): 22 sentences, all English in Spanish or
French articles (tweets, a caption in English, a page's "Find Free WordPress Themes"), and no
sentence of the article's own language.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from babelwire.translate import markup
from babelwire.translate.dictionaries import Dictionaries

MIN_WORDS = 3
MIN_SHARE = 0.8
MAX_OWN_SHARE = 0.5


def sentence_languages(segments: Sequence[str], src: str, others: Collection[str],
                       dictionaries: Dictionaries) -> list[str]:
    """The language of each segment (neutral markup; its protected terms left out): ``src``,
    or one of ``others`` where the segment's words say so (see the module docstring)."""
    words = [[w for w in markup.free_words(s) if w[:1].islower()] for s in segments]
    langs = [src] * len(segments)
    if not dictionaries.available(src):
        return langs
    # the article's language by its analysers: its word lists also hold the odd English word
    # ("is" is in Spanish hunspell's), which would make "This is not a Warning" half Spanish
    asked = {w for ws in words for w in ws}
    own = dictionaries.analysed(src, asked) or dictionaries.known(src, asked)
    doubtful = [i for i, ws in enumerate(words)
                if len(ws) >= MIN_WORDS and _share(ws, own) <= MAX_OWN_SHARE]
    if not doubtful:
        return langs
    asked = {w for i in doubtful for w in words[i]}
    known = {lang: dictionaries.known(lang, asked) for lang in others
             if lang != src and dictionaries.available(lang)}
    for i in doubtful:
        ws = words[i]
        best = max(known, key=lambda lang: _share(ws, known[lang]), default=None)
        if best is None:
            continue
        theirs = sum(1 for w in ws if w in known[best] and w not in own)
        ours = sum(1 for w in ws if w in own and w not in known[best])
        if theirs >= MIN_WORDS and theirs > 2 * ours and _share(ws, known[best]) >= MIN_SHARE:
            langs[i] = best
    return langs


def _share(words: Sequence[str], known: Collection[str]) -> float:
    return sum(1 for w in words if w in known) / len(words) if words else 0.0
