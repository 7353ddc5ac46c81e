"""Route choice: each sentence from the route that leaves its reader the fewest unknown words.

The router translates a pair by its first working route. Route choice then looks at what that
route left unknown to the target's dictionaries and asks the other routes of the same engine
(other pivot languages) to do better:

- a sentence translated through a pivot is translated again through the other pivots, and each
  sentence keeps the route whose output leaves the fewest words unknown (``fewest_unknown``);
- a word of the pivot language that the second leg did not know is put back as the source word
  it stands for (``trace_pivot_words``);
- each word a route did not know (``<u>``) is translated on its own through the other routes and
  put in its place where one gives target words (``fill_unknown``).

The other routes are tried one after the other, in route order, each given only what the routes
before it left to do: a sentence whose output has no unknown word left, a word already found, is
not sent again. (They used to run side by side on everything, and the answers were then taken in
route order: the same choice, at the cost of every route's work on every sentence, on a machine
whose cores the translation itself already keeps busy.) A route that fails is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Sequence

from babelwire.translate import markup
from babelwire.translate.dictionaries import Dictionaries
from babelwire.translate.negation import NEGATIONS, negate_first, negated
from babelwire.translate.recase import MARKUP
from babelwire.translate.routes import Route, Step
from babelwire.translate.segment import opens_sentence

MAX_FILL_WORDS = 2          # longest answer put in place of a word the route did not know
MAX_BACK_WORDS = 3          # longest back translation of a pivot word looked for in the source

# A route's translation of segments, or None when the route failed or its engine cools down.
RunRoute = Callable[[Route, list[str]], "list[str] | None"]
# Per segment, the words the route's first leg surely leaves unknown (``<u>``): those its
# analyser does not know; () when the engine cannot tell.
UnknownWords = Callable[[Route, list[str]], list[tuple[str, ...]]]


def cannot_tell(route: Route, segments: list[str]) -> list[tuple[str, ...]]:
    """``UnknownWords`` for engines that cannot tell: every segment is worth sending."""
    return [() for _ in segments]


class RouteChoice:
    """Route choice for one router view: its dictionaries and a way to run one route."""

    def __init__(self, dictionaries: Dictionaries, run: RunRoute,
                 unknown_words: UnknownWords = cannot_tell) -> None:
        self.dictionaries = dictionaries
        self.run = run
        self.unknown_words = unknown_words

    def choose(self, routes: Sequence[Route], label: str, segments: list[str],
               texts: list[str], tgt: str) -> list[str]:
        """``texts`` (``segments`` translated by the route labelled ``label``) improved by the
        other routes of the same engine."""
        taken = next((r for r in routes if r.label == label), None)
        if taken is None:
            return texts
        others = [r for r in routes if r is not taken and r.engines == taken.engines]
        if len(taken.steps) > 1:
            texts = self.fewest_unknown(others, segments, texts, tgt)
        texts = self.keep_negation(others, segments, texts, taken.steps[0].src, tgt)
        if len(taken.steps) > 1:
            texts = self.trace_pivot_words(routes, segments, texts)
        return self.fill_unknown(others, texts, tgt)

    def keep_negation(self, others: Sequence[Route], segments: list[str], texts: list[str],
                      src: str, tgt: str) -> list[str]:
        """A segment whose source is negated and whose output is not (``negation``: the
        reader would read the opposite) from the first of ``others`` whose output keeps a
        negation and leaves no more words unknown; as it was where none does. Spanish ->
        English through Catalan keeps what the direct pair loses ("No habrá clases" ->
        "There will not be classes", "Si nadie fumara" -> "If nobody smoked"). Where no route
        keeps one, the first word the negation turned positive is made negative again
        (``negation.negate_first``: "ningún estado" -> "any state" -> "no state")."""
        if not others or src not in NEGATIONS or tgt not in NEGATIONS:
            return texts
        lost = [i for i, (segment, text) in enumerate(zip(segments, texts, strict=True))
                if negated(markup.segment_text(segment), src)
                and not negated(markup.segment_text(text), tgt)]
        best = list(texts)
        for route in others:
            if not lost:
                break
            answer = self.run(route, [segments[i] for i in lost])
            if answer is None:
                continue
            offered = {i: text for i, text in zip(lost, answer, strict=True)
                       if negated(markup.segment_text(text), tgt)}
            if offered and self.dictionaries.available(tgt):
                kept = list(offered)
                before = self.unknown_scores([segments[i] for i in kept],
                                             [best[i] for i in kept], tgt)
                after = self.unknown_scores([segments[i] for i in kept],
                                            [offered[i] for i in kept], tgt)
                offered = {i: offered[i] for i, old, new in zip(kept, before, after, strict=True)
                           if all(n <= o for n, o in zip(new, old, strict=True))}
            for i, text in offered.items():
                best[i] = text
            lost = [i for i in lost if i not in offered]
        for i in lost:
            best[i] = _negate_first(best[i], tgt)
        return best

    def fewest_unknown(self, others: Sequence[Route], segments: list[str], texts: list[str],
                       tgt: str) -> list[str]:
        """Each segment from the route whose output leaves the fewest words unknown to the
        target's dictionaries: the one taken, or one of ``others`` (another pivot). Words that
        are not the source's own count first: a word of the pivot language is worse for a
        reader than the source's word left as it was. A segment goes on to the next route only
        while it still has unknown words (and only when that route could do better: see
        ``_may_improve``); ties keep the route before."""
        if not others or not self.dictionaries.available(tgt):
            return texts
        best = list(texts)
        scores = self.unknown_scores(segments, best, tgt)
        for route in others:
            still = [i for i, score in enumerate(scores) if score[2]]
            if not still:
                break
            still = self._may_improve(route, still, segments, best, scores, tgt)
            if not still:
                continue
            answer = self.run(route, [segments[i] for i in still])
            if answer is None:
                continue                # the route failed or its engine is cooling down
            rescored = self.unknown_scores([segments[i] for i in still], answer, tgt)
            for i, text, score in zip(still, answer, rescored, strict=True):
                if score < scores[i]:
                    best[i], scores[i] = text, score
        return best

    def _may_improve(self, route: Route, still: list[int], segments: Sequence[str],
                     best: Sequence[str], scores: Sequence[tuple[int, int, int]],
                     tgt: str) -> list[int]:
        """The segments of ``still`` whose output ``route`` could make better.

        A segment whose unknown words are all the source's own (no word of another language
        left: scores (0, 0, n)) and all words ``route``'s first leg does not know either, as
        many times, would come back from it with those words marked unknown again (in any case
        of their first letter): n unknown words at least, never better. It is not sent (one
        analyser batch for all)."""
        plain = [i for i in still if scores[i][:2] == (0, 0)]
        if not plain:
            return still
        hopeless = set()
        lost = self.unknown_words(route, [segments[i] for i in plain])
        for i, words in zip(plain, lost, strict=True):
            if not words:
                continue
            output = markup.free_words(best[i])
            known = self.dictionaries.known(tgt, output)
            left = [w for w in output if w not in known]
            # a route may copy a word with its first letter's case changed ("ats" -> "Ats"
            # after a bracket), and that form may be a word of the target
            cased = {v for w in left for v in (w[:1].upper() + w[1:], w[:1].lower() + w[1:])}
            if self.dictionaries.known(tgt, cased):
                continue
            copies = Counter(w.casefold() for word in words for w in markup.plain_words(word))
            if not Counter(w.casefold() for w in left) - copies:
                hopeless.add(i)
        return [i for i in still if i not in hopeless]

    def trace_pivot_words(self, routes: Sequence[Route], segments: Sequence[str],
                          texts: list[str]) -> list[str]:
        """Words of a pivot language that a route's second leg did not know, each put back as
        the source's word it stands for.

        A ``<u>`` word that the segment does not have is the first leg's translation of a
        source word, which the second leg then lacked: "non-lieu" came into English through
        Catalan as "sobreseïment", "gendarmerie" through Spanish as "gendarmería", and was
        published so, marked as Catalan or Spanish, in an article that was never in either
        language; or route choice then filled it as a word of the source ("parer", Catalan for
        "avis", came out "decorate", from French "parer"). Each such word is translated back
        into the source by the engine's own pivot -> source pair (through the pivots whose
        analyser knows it, and a word no analyser knows, "co-fundador", through each in turn).
        Where the answer (a few words) holds a word that the segment has outside its protected
        terms (the longest: "La Bretagne" for "Bretaña"), and the first leg translates that
        word into the pivot word again (a round trip: "lucido" goes back to "lui", which the
        first leg makes "le"; an ending may differ, since a word agrees with its sentence:
        "penitenciària" in a sentence, "penitenciari" alone), the source word takes its place,
        still marked unknown: ``fill_unknown`` then asks the other routes
        for it ("avis" through Spanish gives "opinion"), and where none knows it the reader
        gets the article's own word, marked with the article's language.
        """
        lost: dict[int, list[str]] = {}
        for i, (segment, text) in enumerate(zip(segments, texts, strict=True)):
            if "<u>" in text:
                plain = markup.segment_text(segment).casefold()
                words = [w for w in markup.unknown_words(text) if w.casefold() not in plain]
                if words:
                    lost[i] = words
        if not lost:
            return texts
        # pivot word -> (the first leg into its pivot, the words of its back translation)
        back: dict[str, tuple[Step, list[str]]] = {}
        legs = _first_legs(routes)
        every = {w for ws in lost.values() for w in ws}
        knows = {step.tgt: self.dictionaries.analysed(step.tgt, every) for step in legs}
        nobody = every.difference(*knows.values())          # "co-fundador", "mid-medida"
        for step in legs:
            left = sorted((knows[step.tgt] | nobody) - back.keys())
            if not left:
                continue
            answers = self.run(Route((Step(step.engine, step.tgt, step.src),)), left)
            if answers is None:
                continue                # the pair failed or its engine is cooling down
            for word, answer in zip(left, answers, strict=True):
                words = markup.plain_words(markup.segment_text(answer))
                # (a word the pair does not know comes back as it went: the segment lacks it)
                if 0 < len(words) <= MAX_BACK_WORDS:
                    back[word] = (step, words)
        found: list[dict[str, str]] = []
        for i, words in lost.items():
            own: dict[str, list[str]] = {}
            for word in markup.free_words(segments[i]):
                own.setdefault(_key(word), []).append(word)
            pairs: dict[str, str] = {}
            for word in words:
                # the longest word of the answer that the segment has ("La Bretagne"), as the
                # segment writes it where its first letter's case is the pivot word's
                had = sorted((own[_key(w)] for w in back.get(word, (None, []))[1]
                              if _key(w) in own), key=lambda forms: len(forms[0]))
                if had:
                    forms = had[-1]
                    pairs[word] = next((f for f in forms if f[:1].isupper() == word[:1].isupper()),
                                       forms[0])
            found.append(pairs)
        trips = self._round_trips({(back[w][0], s) for f in found for w, s in f.items()})
        changed = list(texts)
        for i, pairs in zip(lost, found, strict=True):
            sure = {w: s for w, s in pairs.items()
                    if _same_word(trips.get((back[w][0], s), ""), _key(w))}
            if sure:
                changed[i] = markup.fill_unknown(texts[i], sure, still_unknown=True)
        return changed

    def _round_trips(self, pairs: Collection[tuple[Step, str]]) -> dict[tuple[Step, str], str]:
        """Each (first leg, source word) with the leg's translation of the word alone, in
        lower case."""
        by_step: dict[Step, list[str]] = {}
        for step, word in pairs:
            by_step.setdefault(step, []).append(word)
        trips: dict[tuple[Step, str], str] = {}
        for step, words in by_step.items():
            words = sorted(set(words))
            answers = self.run(Route((step,)), words)
            if answers is None:
                continue                # no trip: the words stay as they are
            for word, answer in zip(words, answers, strict=True):
                trips[step, word] = _key(markup.segment_text(answer).strip())
        return trips

    def fill_unknown(self, others: Sequence[Route], texts: list[str], tgt: str) -> list[str]:
        """Words the route left untranslated (``<u>``), translated on their own through the
        ``others`` routes of the same engine and put in their place where one gives target
        words; a word takes the first route (in order) that answers it well. A word the
        route's first leg cannot know (its analyser says so, in one batch) is not sent: its
        answer would be marked unknown, and not used.

        A direct pair is best served by its own route sentence by sentence (a pivot route
        costs grammar); only its unknown words are worth another route ("unusable" ->
        "inservible" through Catalan). An answer of more than ``MAX_FILL_WORDS`` words, or with
        a word the target's dictionaries do not know, is not used.
        """
        words = sorted({w for t in texts for w in markup.unknown_words(t)})
        if not words or not others or not self.dictionaries.available(tgt):
            return texts
        found: dict[str, str] = {}
        # A capitalised word that only ever opens a sentence and that the source language has
        # in lower case is a common word: its answer must be a common word of the target, in
        # lower case too, not a name the target knows ("Perrito" came into French through
        # Catalan as "Gosset", which the French analyser has as a surname). A name's answer
        # may be a name ("Tehran"), and so may a word capitalised in mid-sentence
        # ("Franciscanos" -> "Franciscan").
        source = others[0].steps[0].src
        capitals = _openers(texts, {w for w in words if w[:1].isupper() and not w.isupper()},
                            tgt)
        lowered = self.dictionaries.analysed(source, {w.lower() for w in capitals}) \
            if capitals else frozenset()
        common = {w for w in capitals if w.lower() in lowered}
        for route in others:
            left = [w for w in words if w not in found]
            if not left:
                break
            # a word the route's first leg does not know comes back marked unknown: not used
            left = [w for w, lost in zip(left, self.unknown_words(route, left), strict=True)
                    if not lost]
            if not left:
                continue
            answers = self.run(route, left)
            if answers is None:
                continue
            plain = {w: markup.segment_text(a).strip()
                     for w, a in zip(left, answers, strict=True) if "<u>" not in a}
            answered = {x for a in plain.values() for x in a.split()}
            known = self.dictionaries.known(tgt, answered | {_lower_first(x) for x in answered})
            found.update((w, a) for w, a in plain.items()
                         if a and a.casefold() != w.casefold() and len(a.split()) <= MAX_FILL_WORDS
                         and all((_lower_first(x) if w in common else x) in known
                                 for x in a.split()))
        return [markup.fill_unknown(t, found, tgt=tgt) for t in texts] if found else texts

    def unknown_scores(self, sources: Sequence[str], texts: Sequence[str],
                       tgt: str) -> list[tuple[int, int, int]]:
        """Per text, protected terms left out: (words no installed dictionary of any language
        knows and its source does not have, words unknown to ``tgt`` that its source does not
        have, all words unknown to ``tgt``)."""
        dictionaries = self.dictionaries
        words = [markup.free_words(t) for t in texts]
        known = dictionaries.known(tgt, {w for ws in words for w in ws})
        foreign = []
        for source, ws in zip(sources, words, strict=True):
            own = set(markup.free_words(source))
            foreign.append([w for w in ws if w not in known and w not in own])
        left = {w for ws in foreign for w in ws}
        for lang in dictionaries.languages() - {tgt}:
            if left:
                left -= dictionaries.known(lang, left)
        return [(sum(1 for w in ws if w in left), len(ws), sum(1 for w in all_ if w not in known))
                for ws, all_ in zip(foreign, words, strict=True)]


_UNKNOWN = re.compile(r"<u>([^<]*)</u>")


def _negate_first(text: str, tgt: str) -> str:
    """``text`` (neutral markup) with the first word a lost negation turned positive, outside
    protected terms, made negative again (``negation.negate_first``)."""
    nodes = markup.parse(text)
    terms = markup.in_terms(nodes)
    for node, _ in markup.walk(nodes):
        if node.kind == "text" and id(node) not in terms:
            changed = negate_first(node.text, tgt)
            if changed is not None:
                node.text = changed
                return markup.serialize(nodes)
    return text


def _openers(texts: Sequence[str], words: Collection[str], lang: str) -> set[str]:
    """Those of ``words`` (left unknown, ``<u>``) that stand only where a sentence opens in
    ``texts`` (in ``lang``)."""
    if not words:
        return set()
    inside: set[str] = set()
    seen: set[str] = set()
    for text in texts:
        for match in _UNKNOWN.finditer(text):
            word = match.group(1)
            if word not in words:
                continue
            seen.add(word)
            if not opens_sentence(MARKUP.sub("", text[:match.start()]), lang):
                inside.add(word)
    return seen - inside


def _first_legs(routes: Sequence[Route]) -> list[Step]:
    """The first legs of the two-leg routes whose engine also translates back from the pivot,
    once each (engine, pivot), in route order."""
    legs: dict[tuple[str, str], Step] = {}
    for route in routes:
        first = route.steps[0]
        if route.pivot is not None and (route.pivot, first.src) in first.engine.pairs():
            legs.setdefault((first.engine.name, route.pivot), first)
    return list(legs.values())


def _same_word(one: str, other: str) -> bool:
    """Whether two lower-case words are one word, maybe with another ending (gender, number,
    where a stress mark may move): all but the last two letters of the shorter in common,
    accents aside, and four letters at least."""
    if one == other:
        return True
    one, other = _unaccented(one), _unaccented(other)
    common = next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
                  min(len(one), len(other)))
    return common >= max(4, min(len(one), len(other)) - 2)


def _key(word: str) -> str:
    """A word compared without case, with one apostrophe ("S’opposer", "s'opposer") and
    without hyphens (the engine may have read "co-founder" as "cofounder")."""
    return word.casefold().replace("’", "'").replace("-", "")


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _lower_first(word: str) -> str:
    """``word`` with its first letter in lower case, unless it is written in capitals."""
    return word if word.isupper() else word[:1].lower() + word[1:]
