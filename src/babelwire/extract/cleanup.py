"""Rules that remove what main-text extractors leave around an article body.

Each rule is small and general (no per-site knowledge):

- the headline: headings that repeat the title (which the metadata carries); a long heading
  before the first paragraph is the standfirst and becomes a paragraph;
- link lists and link-only paragraphs (related articles, "read more" teasers), and a trailing
  run of teasers (linked headings with short summaries);
- byline and dateline lines near the start or end ("Marcos Ibáñez · Valencia · 22/09/2024");
- related-link blocks: a short block that starts with a label of :data:`RELATED_LABELS` ("Lire
  aussi :", "READ MORE:", "Te puede interesar") and is otherwise a link or a headline, or a label
  alone, with the linked headlines or link list it introduces; the site's own recurring labels,
  learned by :mod:`~babelwire.extract.furniture`, count as labels too;
- newsletter and subscription boxes: short blocks holding a call to action of
  :data:`CALLS_TO_ACTION`, at the edges of the body or standing alone;
- image credits standing as paragraphs: a short line that opens with "Foto:", "Credit:" and
  the like, holds a "©" or names a picture agency ("AFP / MARCO BERTORELLO");
- kickers: a category label that the page shows apart from the text it heads, but that the
  extractor glued to it ("AgricultureL'Office fédéral…"), found by
  :func:`~babelwire.extract.convert.page_kickers`;
- edge trimming by agreement: blocks at the start or end of the body that a second, independent
  extractor (readability-lxml) did not find are dropped. Extractors disagree most at the edges,
  where promos, newsletter boxes and author notes sit, and agree on the body itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import islice, pairwise

from babelwire.extract.blocks import HEADINGS, TEXT_KINDS, Block, Kicker, without_leading_text

_WORD = re.compile(r"\w+")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})\b")

LINK_LIST_DENSITY = 0.8
LINK_PARAGRAPH_DENSITY = 0.9
LINKED_PROSE_WORDS = 30
TEASER_MAX_WORDS = 40
TEASER_LINK_DENSITY = 0.5
BYLINE_MAX_WORDS = 15
BODY_PARAGRAPH_WORDS = 20
EDGE_COVERAGE = 0.5
AGREEMENT_MIN = 0.7
LEAD_PROSE_WORDS = 20
DECK_MIN_WORDS = 12
#: Length at which a site's memory cuts a block's folded text (:mod:`~babelwire.extract.furniture`;
#: here, beside :func:`fold`, so that the block model's features read it without importing the
#: memory, which imports them).
MAX_BLOCK_CHARS = 400


def fold(text: str) -> str:
    """Text reduced to lower-case words, for comparisons that ignore case and punctuation."""
    return " ".join(_WORD.findall(text.casefold()))


def plain(text: str) -> str:
    """Text in lower case without accents ("À lire aussi" -> "a lire aussi"), for matching
    phrases that pages write with or without accents and in any case."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=16384)   # bounded: a long run meets ever new words
def _plain_word(word: str) -> str:
    """:func:`plain` of one word, remembered (pages repeat their first words)."""
    return plain(word)


def drop_headline(blocks: Sequence[Block], title: str) -> list[Block]:
    """Remove headings that repeat the title (equal to it, or one containing the other), and a
    first paragraph that is the title itself.

    A heading of ``DECK_MIN_WORDS`` words or more before any other block is a standfirst: it is
    kept, as a paragraph.
    """
    folded_title = fold(title)
    kept: list[Block] = []
    for block in blocks:
        if not kept and block.kind == "p" and folded_title and fold(block.text) == folded_title:
            continue    # the headline as a first paragraph (readability's reading of an <h1>)
        if block.kind in HEADINGS:
            folded = fold(block.text)
            if folded and folded_title and (folded in folded_title or folded_title in folded):
                continue
            if not kept and block.words >= DECK_MIN_WORDS:
                block = Block("p", block.html, block.text, block.link_chars)
        kept.append(block)
    return kept


def drop_link_blocks(blocks: Sequence[Block], confident: Collection[str] = ()) -> list[Block]:
    """Remove lists that are mostly links and paragraphs that are nothing but a link, but for a
    paragraph of running text (:data:`LINKED_PROSE_WORDS` words or more) that is in
    ``confident``, the texts the block model is sure are the article's (a site that wraps each
    paragraph of a press release in a link to the release: its paragraphs are the article)."""
    return [
        b for b in blocks
        if not (b.kind in {"ul", "ol"} and b.link_density > LINK_LIST_DENSITY)
        and not (b.kind == "p" and b.link_density > LINK_PARAGRAPH_DENSITY
                 and not (confident and b.words >= LINKED_PROSE_WORDS and b.text in confident))
    ]


def drop_teaser_tail(blocks: Sequence[Block]) -> list[Block]:
    """Remove a trailing run of teasers: linked headings, each with a short summary.

    From the end, the run takes headings and paragraphs shorter than ``TEASER_MAX_WORDS``; when
    it holds at least two headings that are mostly link text (other articles' titles), it is cut
    from its first heading on ("More columns", then title + summary pairs).
    """
    start = len(blocks)
    while start > 0 and (blocks[start - 1].kind in HEADINGS
                         or blocks[start - 1].words < TEASER_MAX_WORDS):
        start -= 1
    tail = blocks[start:]
    linked = [b for b in tail if b.kind in HEADINGS and b.link_density >= TEASER_LINK_DENSITY]
    if len(linked) < 2:
        return list(blocks)
    first_heading = next(i for i, b in enumerate(tail) if b.kind in HEADINGS)
    return list(blocks[:start + first_heading])


def _is_byline(block: Block, authors: Sequence[str], published: datetime | None) -> bool:
    """A short line naming the author or giving the publication date."""
    if block.kind == "figure" or block.words > BYLINE_MAX_WORDS:
        return False
    folded = fold(block.text)
    if any(fold(a) and fold(a) in folded for a in authors):
        return True
    if _NUMERIC_DATE.search(block.text):
        return True
    if published is None:
        return False
    words = set(folded.split())
    return str(published.year) in words and str(published.day) in words


def drop_bylines(blocks: Sequence[Block], authors: Sequence[str],
                 published: datetime | None) -> list[Block]:
    """Remove byline/dateline lines before the first and after the last body paragraph."""
    body = [i for i, b in enumerate(blocks) if b.kind == "p" and b.words >= BODY_PARAGRAPH_WORDS]
    if not body:
        return list(blocks)
    first, last = body[0], body[-1]
    return [
        b for i, b in enumerate(blocks)
        if first <= i <= last or not _is_byline(b, authors, published)
    ]


def _bigrams(text: str) -> set[tuple[str, ...]]:
    return _pairs(_WORD.findall(text))


def _pairs(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 2:
        return {tuple(words)} if words else set()
    return set(pairwise(words))


def _covered(block: Block, reference: set[tuple[str, ...]]) -> bool:
    grams = _bigrams(block.text)
    return not grams or len(grams & reference) / len(grams) >= EDGE_COVERAGE


def trim_edges(blocks: Sequence[Block], reference_text: str) -> list[Block]:
    """Drop leading and trailing blocks absent from ``reference_text`` (another extractor's output).

    Nothing is trimmed when the two extractors disagree on the body as a whole (less than half of
    this body's word pairs in the reference): the reference then found something else.
    """
    words = _WORD.findall(reference_text)
    pairs = _pairs(words)
    if not _agree(blocks, pairs):
        return list(blocks)
    reference = pairs | {(w,) for w in words}
    flags = [_covered(b, reference) for b in blocks]
    if not any(flags):
        return list(blocks)
    start = flags.index(True)
    end = len(flags) - flags[::-1].index(True)
    # Leading paragraphs of running text are kept even where the reference missed them (a lead
    # often sits in another container than the rest); trimming stops at the first short block.
    while start > 0 and _prose(blocks[start - 1], LEAD_PROSE_WORDS):
        start -= 1
    return list(blocks[start:end])


def agree(blocks: Sequence[Block], reference_text: str) -> bool:
    """Whether the reference found the same body: it holds at least ``AGREEMENT_MIN`` of this
    body's word pairs."""
    return _agree(blocks, _bigrams(reference_text))


def _agree(blocks: Sequence[Block], reference: set[tuple[str, ...]]) -> bool:
    """:func:`agree` with the reference's word pairs."""
    ours = _bigrams(" ".join(b.text for b in blocks if b.kind != "figure"))
    return bool(ours) and len(ours & reference) / len(ours) >= AGREEMENT_MIN


def _prose(block: Block, min_words: int) -> bool:
    """A paragraph of running text (a "heading" that long is a paragraph too)."""
    return block.kind in {"p", *HEADINGS} and block.words >= min_words and block.link_density < 0.2


# --- related links, newsletter boxes, kickers ---------------------------------------------------

#: Labels that introduce a link to another article, by language, written as :func:`plain`
#: gives them (lower case, no accents). A block must *start* with one; a label also covers the
#: longer ones it begins ("related" covers "Related stories", "Related:").
RELATED_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("read more", "read also", "also read", "related", "see also", "more on",
           "further reading", "you may also like", "you might also like", "recommended",
           "more stories", "more from", "don t miss", "read next", "up next", "keep reading"),
    "es": ("lea tambien", "leer tambien", "lee tambien", "lea aqui", "lee aqui", "ver tambien",
           "vea tambien", "mira tambien", "te puede interesar", "le puede interesar",
           "puede interesarte", "tambien te puede interesar", "noticias relacionadas",
           "relacionado", "relacionada", "te recomendamos", "notas relacionadas",
           "puedes ver", "puede ver", "mira", "lee mas", "lea mas", "leer mas", "ver mas"),
    "fr": ("lire aussi", "a lire aussi", "lire egalement", "a lire egalement", "voir aussi",
           "voir egalement", "sur le meme sujet", "lisez aussi", "a voir aussi",
           "pour aller plus loin", "en savoir plus"),
    "de": ("mehr zum thema", "lesen sie", "siehe auch", "auch interessant",
           "das konnte sie auch interessieren", "das konnte dich auch interessieren",
           "schon gelesen", "weitere informationen", "weiterlesen", "passend dazu",
           "ebenfalls interessant"),
    "pt": ("leia tambem", "leia mais", "veja tambem", "veja mais", "saiba mais"),
    "it": ("leggi anche", "vedi anche", "potrebbe interessarti", "ti potrebbe interessare",
           "articoli correlati"),
    "pl": ("czytaj takze", "czytaj rowniez", "czytaj tez", "zobacz takze", "zobacz rowniez",
           "zobacz tez", "dowiedz sie wiecej", "polecamy"),
}

#: Calls to action of newsletter and subscription boxes, by language, as :func:`plain` writes
#: them; matched as whole words anywhere in a block. Only phrases that address the reader: not
#: "suscribirse", "abbonati" or "assine" alone, which news text uses too ("podrán suscribirse",
#: "gli abbonati", "que o presidente assine"), nor "melden Sie sich" (police appeals).
CALLS_TO_ACTION: dict[str, tuple[str, ...]] = {
    "en": ("our newsletter", "our newsletters", "sign up for our", "sign up to our",
           "subscribe to our", "subscribe now", "subscribe today", "subscribe here",
           "become a subscriber", "newsletter sign up", "follow us on", "download the app",
           "download our app", "please subscribe", "support our journalism",
           "already a subscriber"),
    "es": ("suscribete", "suscribase", "suscribite", "nuestra newsletter", "nuestro newsletter",
           "nuestro boletin", "nuestros boletines", "registrate", "siguenos en",
           "descarga la app", "descarga nuestra app"),
    "fr": ("abonnez vous", "inscrivez vous", "notre newsletter", "nos newsletters",
           "notre lettre d information", "suivez nous", "telechargez l application"),
    "de": ("jetzt abonnieren", "newsletter abonnieren", "abonnieren sie", "unseren newsletter",
           "unser newsletter", "folgen sie uns", "unterstutze uns", "unterstutzen sie uns",
           "zum newsletter", "newsletter anmelden"),
    "pt": ("assine ja", "assine agora", "seja assinante", "inscreva se", "cadastre se",
           "nossa newsletter"),
    "it": ("iscriviti", "abbonati ora", "abbonati subito", "la nostra newsletter",
           "alla nostra newsletter"),
    "pl": ("zapisz sie do newslettera", "subskrybuj", "wesprzyj nas"),
}

RELATED_MAX_WORDS = 30
LABEL_TAIL_WORDS = 3
HEADLINE_MAX_WORDS = 25
RELATED_LINK_SHARE = 0.5
CTA_MAX_WORDS = 30
CTA_STANDALONE_WORDS = 12
CTA_EDGE_BLOCKS = 2
# What separates a label from the headline it introduces: "Lire aussi : …", "READ MORE | …"
_LABEL_SEPARATOR = re.compile(r"^\s*[:|>»›→•·\-–—]")


def _phrases(table: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """The phrases of a table as word tuples, longest first."""
    words = {tuple(_WORD.findall(phrase)) for group in table.values() for phrase in group}
    return tuple(sorted(words, key=len, reverse=True))


_LABELS = _phrases(RELATED_LABELS)
_LABEL_OPENERS = frozenset(label[0] for label in _LABELS if label)
_CALLS = _phrases(CALLS_TO_ACTION)
_CALLS_BY_OPENER: dict[str, tuple[tuple[str, ...], ...]] = {
    opener: tuple(call for call in _CALLS if call[0] == opener)
    for opener in {call[0] for call in _CALLS}}


def label_end(text: str, labels: Collection[tuple[str, ...]] = _LABELS) -> int:
    """Where a leading label of ``labels`` (word tuples, :func:`plain`) ends in ``text``; 0 when
    ``text`` starts with none (punctuation before the first word is allowed: "» Lire aussi")."""
    first = _WORD.search(text[:200])
    openers = _LABEL_OPENERS if labels is _LABELS else {label[0] for label in labels if label}
    if first is None or _plain_word(first.group()) not in openers:
        return 0  # most blocks: no label starts with their first word
    longest = max(map(len, labels), default=0)
    words = list(islice(_WORD.finditer(text[:200]), longest))
    plain_words = tuple(plain(m.group()) for m in words)
    ordered = labels if labels is _LABELS else sorted(labels, key=len, reverse=True)
    for label in ordered:
        if plain_words[:len(label)] == label:
            return words[len(label) - 1].end()
    return 0


def _related_kind(block: Block, labels: Collection[tuple[str, ...]]) -> str:
    """"label" for a related-link label standing alone ("Related", "LIRE AUSSI SUR REGARDS.FR
    >>"), "link" for a short block made of a label and a link or a headline, else ""."""
    text = block.text.split("\n")[0] if block.kind in {"ul", "ol"} else block.text
    end = label_end(text, labels)
    if not end or block.kind not in TEXT_KINDS:
        return ""
    rest = text[end:]
    if block.kind in {"ul", "ol"}:  # a list headed by a label: related when mostly links
        alone = len(_WORD.findall(rest)) <= LABEL_TAIL_WORDS
        return "link" if alone and block.link_density >= RELATED_LINK_SHARE else ""
    if len(_WORD.findall(rest)) <= LABEL_TAIL_WORDS:
        return "label"
    if block.words > RELATED_MAX_WORDS:
        return ""
    if block.link_chars >= RELATED_LINK_SHARE * len(rest.strip()):
        return "link"
    if block.kind == "blockquote" and block.link_chars and label_end(text, _LABELS):
        # a citation of another article set apart, after a label of RELATED_LABELS (not one
        # the site's pages taught, "Tested by:"), its title linked: "Lire aussi Martine Bulard
        # & Sung Il-kwon, « En Corée, la politique du rayon de soleil », Le Monde diplomatique,
        # juin 2018." (Le Monde diplomatique, inside its article's body). A paragraph that
        # recommends another article in a sentence of its own is the author's ("Lesen Sie –
        # als Hintergrundinformation – auch den Beitrag ...").
        return "link"
    return "link" if _LABEL_SEPARATOR.match(rest) and _headline(rest) else ""


def _headline(text: str) -> bool:
    """Text that reads as a headline: short, and not a sentence that ends with a full stop."""
    text = text.strip(" :|>»›→•·-–—")
    return len(text.split()) <= HEADLINE_MAX_WORDS and not text.endswith(".")


def _introduced(block: Block) -> bool:
    """What a label alone introduces: a list of links, or a headline that is mostly link."""
    if block.link_density < RELATED_LINK_SHARE:
        return False
    return block.kind in {"ul", "ol"} or (block.kind in {"p", *HEADINGS}
                                          and block.words <= HEADLINE_MAX_WORDS)


def related_labels(learned: Collection[str] = ()) -> Collection[tuple[str, ...]]:
    """The labels of :data:`RELATED_LABELS` and the site's ``learned`` ones (folded), as the
    word tuples :func:`label_end` reads."""
    if not learned:
        return _LABELS
    return {*_LABELS, *(tuple(_WORD.findall(plain(label))) for label in learned)}


def drop_related(blocks: Sequence[Block], learned: Collection[str] = ()) -> list[Block]:
    """Remove related-link blocks (see the module docstring), and after a label that stands
    alone, the linked headlines or link list that follow it.

    ``learned`` are the site's own recurring labels (folded, see
    :func:`~babelwire.extract.furniture.recurring_labels`), used besides :data:`RELATED_LABELS`.
    """
    labels = related_labels(learned)
    kept: list[Block] = []
    after_label = False
    for block in blocks:
        if after_label and _introduced(block):
            continue
        kind = _related_kind(block, labels)
        after_label = kind == "label"
        if not kind:
            kept.append(block)
    return kept


def _calls_to_action(text: str) -> bool:
    """Whether ``text`` holds a call of :data:`CALLS_TO_ACTION` (looked for where one of their
    first words stands)."""
    words = tuple(_plain_word(w) for w in _WORD.findall(text))
    return any(words[i:i + len(call)] == call
               for i, word in enumerate(words) for call in _CALLS_BY_OPENER.get(word, ()))


def drop_calls_to_action(blocks: Sequence[Block]) -> list[Block]:
    """Remove newsletter and subscription boxes: blocks of at most ``CTA_MAX_WORDS`` words
    holding a call of :data:`CALLS_TO_ACTION`, among the first or last ``CTA_EDGE_BLOCKS``
    text blocks, or anywhere when at most ``CTA_STANDALONE_WORDS`` words long."""
    text_at = [i for i, b in enumerate(blocks) if b.kind != "figure"]
    edges = set(text_at[:CTA_EDGE_BLOCKS] + text_at[-CTA_EDGE_BLOCKS:])
    return [
        b for i, b in enumerate(blocks)
        if b.kind == "figure" or b.words > CTA_MAX_WORDS
        or (i not in edges and b.words > CTA_STANDALONE_WORDS)
        or not _calls_to_action(b.text)
    ]


# --- image credits --------------------------------------------------------------------------

#: Words that open an image's credit line, as :func:`plain` writes them: "Foto: dpa",
#: "Photo credit: …", "Crédits photo : …".
CREDIT_OPENERS = ("foto", "fotos", "photo", "photos", "photo credit", "photo credits", "bild",
                  "bilder", "bildquelle", "image", "images", "imagen", "imagenes",
                  "image credit", "credit", "credits", "credito", "creditos", "fotocredit",
                  "credits photo", "credit photo", "illustration", "abbildung")
#: Picture agencies and stock libraries that a credit line names after a "/" or "|".
PICTURE_AGENCIES = ("afp", "ap", "reuters", "dpa", "efe", "getty images", "getty",
                    "shutterstock", "istock", "istockphoto", "imago", "picture alliance",
                    "ansa", "xinhua", "europa press", "epa", "keystone", "sipa", "unsplash",
                    "pexels", "pixabay", "adobe stock", "alamy")
CREDIT_MAX_WORDS = 8
_CREDIT_OPENER = re.compile(r"^(?:{})\s*:".format("|".join(
    re.escape(o).replace("\\ ", "\\s+") for o in sorted(CREDIT_OPENERS, key=len, reverse=True))))
_AGENCY = re.compile(r"(?:^|[/|,(])\s*(?:{})\s*(?:$|[/|,)])".format("|".join(
    re.escape(a).replace("\\ ", "\\s+") for a in PICTURE_AGENCIES)))


def credit_line(block: Block) -> bool:
    """Whether ``block`` is an image's credit standing as a paragraph: a short line (at most
    :data:`CREDIT_MAX_WORDS` words, no sentence) that opens with a credit word and a colon
    ("Foto: LA NACION", "Credit:"), holds a "©", or names a picture agency between slashes,
    bars or commas, or alone ("AFP / MARCO BERTORELLO", "Getty Images")."""
    text = block.text.strip()
    if block.kind != "p" or not text or len(text.split()) > CREDIT_MAX_WORDS \
            or (text.endswith((".", "?", "!")) and not text.endswith(("Inc.", "Ltd.", "Co."))):
        return False
    folded = plain(text)
    return bool(_CREDIT_OPENER.match(folded) or "©" in text or _AGENCY.search(folded))


def drop_credits(blocks: Sequence[Block]) -> list[Block]:
    """Remove image credits that the extractor took for paragraphs (:func:`credit_line`)."""
    return [b for b in blocks if not credit_line(b)]


def drop_kickers(blocks: Sequence[Block], kickers: Sequence[Kicker]) -> list[Block]:
    """Remove kickers from the head of the body, up to its first paragraph of running text: the
    label where a block begins with it and goes on with the text the page puts after it, and a
    block that is only a kicker standing alone in the page."""
    kept: list[Block] = []
    leading = True
    for block in blocks:
        kicker = next((k for k in kickers if _starts_with(block, k)), None) \
            if leading and block.kind != "figure" else None
        if kicker is not None and not kicker.follows:
            continue
        if kicker is not None:
            block = without_leading_text(block, len(kicker.label))
        kept.append(block)
        leading = leading and not _prose(block, BODY_PARAGRAPH_WORDS)
    return kept


def _starts_with(block: Block, kicker: Kicker) -> bool:
    if not block.text.startswith(kicker.label):
        return False
    rest = block.text[len(kicker.label):].lstrip()
    return rest.startswith(kicker.follows) if kicker.follows else not rest
