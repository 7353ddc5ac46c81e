"""babelwire's own lexical choices for English news, a stage before the pair's own.

Apertium's English bilingual dictionaries know the senses news needs, but the pairs' lexical
selection rules pick another one by default, and every check passes the result: "the ruling
party" came out "la fiesta gobernante", "the Democratic Party" "la Fiesta Democrática" ("la
Fête Démocratique" through Spanish into French), "the third quarter" "el tercer barrio", "the
presidential race" "la raza presidencial", "the cabinet met" "el armario", "a poll" "una
urna", "the company fired 200 workers" "disparó", and into Catalan "the Supreme Court" "el
Tall Suprem" (a cut). In a newspaper a party is mostly a political party, a cabinet a
government's, a poll a survey, a quarter after an ordinal a quarter of the year, a race beside
an election's words a contest, a court a court of law, and to fire people is to dismiss them.

The rules are Apertium's own kind (a constraint-based lexical selection ruleset, compiled by
``lrx-comp`` from the ``apertium-lex-tools-dev`` package) and run as one more ``lrx-proc``
stage right before the pair's: once it has chosen one translation, the pair's rules have no
other to choose, and agreement is generated for the chosen word ("el Partido Democrático").
Where the words around say otherwise the pair's default stays ("una fiesta de cumpleaños",
"el barrio francés", "nuestra raza"). They are written here as word lists rather than
as a rules file so that each list reads as what it is; :func:`ruleset` writes the XML.
Without ``lrx-comp`` the pipeline is the pair's alone (a warning says so once).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from babelwire.translate.engines.apertium.tagger import stages

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choice:
    """One source noun's choice: ``default`` unless a word of ``otherwise`` is beside it.

    ``before`` and ``after`` are the lemmas that choose ``chosen`` right before or after the
    noun (``chosen`` is ``default`` when empty); ``verbs`` choose it before the noun with or
    without a determiner between ("throw a party"). ``other_before``, ``other_after`` and
    ``other_verbs`` are the same for ``other``, which they choose over ``default``.
    """

    lemma: str
    default: str | None
    chosen: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()
    other: str | None = None
    other_before: tuple[str, ...] = ()
    other_after: tuple[str, ...] = ()
    other_verbs: tuple[str, ...] = ()
    reach: int = 1      # how far from the word a word of its context may stand
    tags: str = "n.*"   # the forms the choice is for ("n.sg": a singular noun; "vblex.*": a verb)


_CELEBRATIONS = (
    "birthday", "dinner", "garden", "tea", "pool", "house", "office", "christmas", "cocktail",
    "costume", "dance", "block", "street", "slumber", "surprise", "welcome", "release",
    "launch", "farewell", "engagement", "bachelor", "bachelorette", "hen", "stag", "wedding",
    "holiday", "halloween", "graduation", "beach", "karaoke", "pizza", "theme", "toga",
    "sleepover", "watch", "victory", "retirement", "anniversary", "christening", "lawn",
    "fancy-dress", "listening", "viewing", "yacht", "boat", "rave", "disco", "year", "indoor",
    "outdoor", "secret", "lockdown", "illegal", "wild", "all-night", "lavish", "student",
    "frat", "fraternity", "sorority", "kid", "rooftop", "underground", "superspreader",
    "glamorous", "star-studded", "pyjama", "pajama", "themed")
_AT_A_CELEBRATION = (
    "guest", "goer", "host", "favor", "favour", "trick", "game", "music", "dress", "animal",
    "boat", "bus", "hat", "planner", "popper", "supply", "night", "season", "scene", "venue",
    "crowd", "mood", "vibe", "atmosphere")
_TO_CELEBRATE = ("throw", "attend", "invite", "celebrate", "crash", "enjoy", "host")
_SPORTS = ("tennis", "basketball", "volleyball", "squash", "badminton", "handball", "food",
           "netball", "clay", "grass", "hard", "center", "centre", "half")
_OF_A_YEAR = ("first", "second", "third", "fourth", "fiscal", "previous", "last", "latest",
              "same", "current", "final", "june", "september", "december", "march",
              "calendar", "year-ago")
_FIGURES = ("result", "earning", "profit", "revenue", "sale", "loss", "growth", "figure",
            "report", "dividend", "gdp", "output")
_CONTESTS = (
    "presidential", "election", "electoral", "mayoral", "senate", "gubernatorial",
    "congressional", "leadership", "arms", "space", "horse", "close", "tight", "tough",
    "two-way", "three-way", "primary", "runoff", "title", "championship", "relay", "governor",
    "council", "nomination", "re-election", "reelection", "democratic", "republican", "party",
    "marathon", "car", "motor", "sprint", "bike", "cycling", "ski", "road", "drag", "rat",
    "general")
_IN_A_CONTEST = ("enter", "join", "quit", "win", "lose", "lead", "drop", "exit", "leave",
                 "finish", "start", "dominate", "call", "shake")
_FURNITURE = ("kitchen", "bathroom", "filing", "file", "medicine", "display", "wall", "wooden",
              "glass", "steel", "metal", "liquor", "gun", "trophy", "storage", "corner",
              "curio", "china", "bedside", "arcade")
# ("prpers": the analyser's lemma of "him", "her", "them")
_STAFF = ("worker", "employee", "staff", "coach", "manager", "executive", "ceo", "chief",
          "director", "editor", "teacher", "official", "people", "prpers", "adviser",
          "advisor", "aide", "secretary", "minister", "general", "commissioner", "president",
          "chairman", "head", "boss", "contractor", "journalist", "reporter", "nurse",
          "doctor", "officer", "player", "driver", "pilot", "agent")
_SHOTS = ("gas", "shot", "bullet", "gun", "rocket", "missile", "round", "weapon", "shell",
          "rubber", "warning", "at", "on", "into", "upon", "artillery", "cannon", "tear",
          "water", "flare", "projectile", "salvo", "volley", "mortar", "drone", "torpedo")
_SAYING = ("show", "suggest", "indicate", "find", "say", "predict", "give", "put")
_OF_A_CONTEST = ("for", "to", "between", "against", "result", "day", "track", "winner", "leader")


# Catalan words of a game, around "partit" (Catalan into French: "un partit" is a party or a
# match, and the pair's default for the plural is the match: "Six matchs d'opposition")
_GAME = ("futbol", "bàsquet", "handbol", "hoquei", "tennis", "rugbi", "waterpolo", "lliga",
         "copa", "gol", "àrbitre", "jugar", "jugador", "estadi", "amistós", "derbi", "empat",
         "empatar", "golejar", "anada", "tornada", "semifinal", "final")


def _choices(src: str, tgt: str) -> list[Choice]:
    if (src, tgt) == ("ca", "fr"):
        return [Choice("partit", "parti", "parti", other="match", other_before=_GAME,
                       other_after=_GAME, reach=2)]
    party, celebration, race = {"es": ("partido", "fiesta", "carrera"),
                                "ca": ("partit", "festa", "cursa")}[tgt]
    cabinet, cupboard, survey = {"es": ("gabinete", "armario", "encuesta"),
                                 "ca": ("gabinet", "armari", "enquesta")}[tgt]
    choices = [
        Choice("party", party, party, other=celebration, other_before=_CELEBRATIONS,
               other_after=_AT_A_CELEBRATION, other_verbs=_TO_CELEBRATE),
        Choice("quarter", None, "trimestre", before=_OF_A_YEAR, after=_FIGURES),
        Choice("race", None, race, before=_CONTESTS, after=_OF_A_CONTEST, verbs=_IN_A_CONTEST),
        Choice("cabinet", cabinet, cabinet, other=cupboard, other_before=_FURNITURE),
        # a poll is a survey; the polls may be the ballot boxes ("the polls closed"), unless
        # they say something
        Choice("poll", survey, survey, tags="n.sg"),
        Choice("poll", None, survey, after=_SAYING, tags="n.pl"),
    ]
    # to fire people is to dismiss them; Spanish's default shoots them ("La empresa disparó
    # 200 trabajadores"), Catalan's dismisses whatever is fired ("va acomiadar gas")
    if tgt == "es":
        choices.append(Choice("fire", None, "despedir", after=_STAFF, reach=3,
                              tags="vblex.*"))
    else:
        choices.append(Choice("fire", None, "disparar", after=_SHOTS, reach=3,
                              tags="vblex.*"))
    if tgt == "ca":
        # Catalan's default court is a cut ("El Tall Suprem", "la coupure" in French);
        # Spanish's "corte" stays, which Latin America writes ("la Corte Suprema") and French
        # takes as "cour" ("la Cour constitutionnelle"), where "tribunal" would not be
        choices.append(Choice("court", "tribunal", "tribunal", other="pista",
                              other_before=_SPORTS))
    return choices


# the pairs with choices: English into Spanish, and into Catalan and Catalan into French (the
# other route from English into French)
PAIRS = frozenset({("en", "es"), ("en", "ca"), ("ca", "fr")})


@cache
def ruleset(src: str, tgt: str) -> str:
    """The lexical selection rules for the pair, as ``lrx-comp`` reads them."""
    rules: list[str] = []

    def rule(weight: float, matches: list[str]) -> None:
        rules.append(f'  <rule weight="{weight}">{"".join(matches)}</rule>')

    def noun(choice: Choice, lemma: str) -> str:
        return (f"<match lemma={quoteattr(choice.lemma)} tags={quoteattr(choice.tags)}>"
                f"<select lemma={quoteattr(lemma)}/></match>")

    def word(lemma: str) -> str:
        return f"<match lemma={quoteattr(lemma)}/>"

    def contexts(choice: Choice, lemma: str, weight: float, before: tuple[str, ...],
                 after: tuple[str, ...], verbs: tuple[str, ...], reach: int = 1) -> None:
        for gap in range(reach):
            between = ["<match/>"] * gap            # any word: "el partit de futbol"
            for w in before:
                rule(weight, [word(w), *between, noun(choice, lemma)])
            for w in after:
                rule(weight, [noun(choice, lemma), *between, word(w)])
        for w in verbs:
            rule(weight, [word(w), '<match tags="det.*"/>', noun(choice, lemma)])
            rule(weight, [word(w), noun(choice, lemma)])

    for choice in _choices(src, tgt):
        if choice.default is not None:
            rule(1.0, [noun(choice, choice.default)])
        contexts(choice, choice.chosen, 1.0, choice.before, choice.after, choice.verbs,
                 choice.reach)
        if choice.other is not None:
            contexts(choice, choice.other, 2.0, choice.other_before, choice.other_after,
                     choice.other_verbs, choice.reach)
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', "<rules>", *rules,
                      "</rules>"]) + "\n"


_warned = False


def compiled(src: str, tgt: str) -> Path | None:
    """The compiled rules for the pair, made once per content in the temporary directory
    (``lrx-comp`` takes milliseconds; the file's name is its content's digest, so a changed
    list is compiled again). None for a pair without choices, or without ``lrx-comp``."""
    global _warned
    if (src, tgt) not in PAIRS:
        return None
    if shutil.which("lrx-comp") is None or shutil.which("lrx-proc") is None:
        if not _warned:
            log.warning("lrx-comp is not installed (Debian's apertium-lex-tools-dev): English "
                        "news words keep the pairs' default senses ('la fiesta gobernante')")
            _warned = True
        return None
    text = ruleset(src, tgt)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"babelwire-lrx-{os.getuid()}"
    target = folder / f"{src}-{tgt}-{digest}.bin"
    if target.exists():
        return target
    folder.mkdir(mode=0o700, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        rules, binary = Path(work) / "rules.lrx", Path(work) / "rules.bin"
        rules.write_text(text, encoding="utf-8")
        try:
            subprocess.run(["lrx-comp", str(rules), str(binary)], capture_output=True,
                           check=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("lrx-comp failed on babelwire's lexical choices (%s): left out", exc)
            return None
        os.replace(binary, target)
    return target


@cache
def version(src: str, tgt: str) -> str:
    """What tells the pair's answers apart in the translation memory: the digest of its
    rules, or "" for a pair without them."""
    if (src, tgt) not in PAIRS:
        return ""
    return hashlib.sha256(ruleset(src, tgt).encode()).hexdigest()[:8]


def with_choices(command: str, src: str, tgt: str) -> str:
    """The pair's pipeline with the choices' ``lrx-proc`` stage before the pair's own (or,
    without one, after the bilingual dictionary's ``lt-proc -b``)."""
    binary = compiled(src, tgt)
    if binary is None:
        return command
    parts = stages(command)
    at = next((i for i, s in enumerate(parts) if shlex.split(s)[:1] == ["lrx-proc"]), None)
    if at is None:
        at = next((i + 1 for i, s in enumerate(parts)
                   if shlex.split(s)[:1] == ["lt-proc"] and "-b" in shlex.split(s)), None)
    if at is None:
        return command
    stage = f"lrx-proc -z -m {shlex.quote(str(binary))}"
    return " | ".join([*parts[:at], stage, *parts[at:]])
