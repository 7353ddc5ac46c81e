"""A person's title before the name ("Mme Anglade", "la Sra. Vilalta", "Mr Johnson"), written as
the target language writes it.

The engines handle these badly, and every check let the result through. French "Mme" goes
through Spanish as "Sra", which Spanish -> English does not know, and came out "Sra Anglade";
once route choice traced it back to "Mme", the Catalan route made it "the lady Anglade".
Spanish "La Sra. Vilalta ha dicho" came out "The Mrs. Vilalta has said", English "Mrs Thatcher"
came out "Dame Thatcher" in French, and French "M. Macron" stayed "M. Macron" in English. The
human translations of newstest2013 write "Mr Beaulieu", "Ms Plamondon" and "Mrs Thatcher" for
"M. Beaulieu", "Mme Plamondon" and "Mme Thatcher".

So a title right before a capitalised word is a protected term with its fixed target form
(``ProtectedTerm.replacement``), as dates are: every engine and every pivot passes it through.
A Spanish title takes its article with it ("la Sra." -> "Ms", "del Sr." -> "of Mr"), which
English and French do not write. Only into English and French: Spanish writes the article
before the title, which depends on the sentence ("el Sr. Blanc dijo", "dijo al Sr. Blanc"), and
is left to the engine. "Mme" becomes "Ms" in English, as in most of newstest2013's lines.

A title's text is replaced wherever it stands, so a text that also stands where it is no title
("Jean M. Dupont", an initial; "M." before a lower-case word) is left to the engine everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from babelwire.translate.segment import opens_sentence

# (source, target) -> the titles of the source as written, and their target forms
_FORMS: dict[tuple[str, str], dict[str, str]] = {
    ("fr", "en"): {"M.": "Mr", "Mme": "Ms", "Mlle": "Miss", "MM.": "Messrs"},
    # (not "Mr.": through Spanish, whose analyser does not know it, its stop ended the
    # sentence for the second leg, which wrote the word after the name with a capital: "si M.
    # Trump Accrocherait"; the engine writes "Mr." "Monsieur")
    ("en", "fr"): {"Mr": "M.", "Mrs": "Mme", "Ms": "Mme"},
    ("es", "en"): {"Sr.": "Mr", "Sra.": "Ms", "Srta.": "Miss", "Sres.": "Messrs",
                   "señor": "Mr", "señora": "Ms", "señorita": "Miss"},
    ("es", "fr"): {"Sr.": "M.", "Sra.": "Mme", "Srta.": "Mlle", "Sres.": "MM.",
                   "señor": "M.", "señora": "Mme", "señorita": "Mlle"},
}
# Spanish writes the title in full too, in lower case ("la señora Olegaria May"; "the lady")
for _forms in (_FORMS["es", "en"], _FORMS["es", "fr"]):
    _forms.update({word.capitalize(): written for word, written in list(_forms.items())
                   if word.islower()})
# Spanish articles that go with the title: what English and French write for those that hold a
# preposition ("del", "al"); the others go
# (and "de la", "a la": Spanish -> French generated "de la" with the title's words, and lost
# "de" with them: "El mayor temor de la Sra. Pérez" came out "La majeure crainte Mme Pérez")
_ARTICLE_PREPOSITIONS = {"en": {"del": "of ", "al": "to ", "de la": "of ", "a la": "to "},
                         "fr": {"del": "de ", "al": "à ", "de la": "de ", "a la": "à "}}
_NAME_AFTER = re.compile(r" [A-ZÀ-ÖØ-Þ]")
_LOOK_BACK = 40
_CAPITALISED_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]* $")


# Words that open a French sentence before "M." ("Selon M. Blanc"); after another capitalised
# word, "M." is an initial ("Jean M. Dupont")
_OPENERS_BEFORE_INITIAL = frozenset({
    "selon", "pour", "par", "avec", "et", "mais", "chez", "quand", "si", "lorsque", "avant",
    "après", "contre", "sans", "comme", "or", "donc", "puis", "alors", "à", "de", "le", "la"})


def _initial(text: str, start: int, title: str) -> bool:
    """Whether the title at ``start`` may be a first name's initial: "M." after a capitalised
    word that is not a sentence's opening word of the closed classes above."""
    if len(title.rstrip(".")) > 1:
        return False
    # (the word before: a bounded look back, not a scan of the paragraph for each title)
    before = _CAPITALISED_BEFORE.search(text, max(0, start - _LOOK_BACK), start)
    if before is None:
        return False
    word = before.group(0).strip()
    return not (word.lower() in _OPENERS_BEFORE_INITIAL and opens_sentence(
        text[:before.start()], "fr"))


def supported(source: str, target: str) -> bool:
    """Whether titles of ``source`` are written by this module for ``target``."""
    return (source, target) in _FORMS


def find_titles(paragraphs: Sequence[str], source: str, target: str
                ) -> Iterator[tuple[str, str]]:
    """Each title before a name in ``paragraphs`` as written there (with its Spanish article),
    and its form in ``target``; nothing for a pair this module does not write."""
    forms = _FORMS.get((source, target))
    if not forms:
        return
    pattern = re.compile(
        r"(?<![\w.])" + (r"(?:(?P<article>[Dd]e la|[Aa] la|[Ee]l|[Ll]as?|[Ll]os|[Dd]el|[Aa]l) )?"
                         if source == "es" else "")
        + "(?P<title>" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?![\w.])")
    found: dict[str, str] = {}
    elsewhere: set[str] = set()
    for text in paragraphs:
        for match in pattern.finditer(text):
            title = match.group("title")
            if not _NAME_AFTER.match(text, match.end()) or _initial(text, match.start(), title):
                elsewhere.add(title)
                continue
            written = forms[title]
            article = (match.groupdict().get("article") or "").lower()
            if article:
                written = _ARTICLE_PREPOSITIONS[target].get(article, "") + written
                if match.group(0)[0].isupper():
                    written = written[0].upper() + written[1:]
            found.setdefault(match.group(0), written)
    yield from ((text, written) for text, written in found.items()
                if not any(text.split()[-1] == other for other in elsewhere))
