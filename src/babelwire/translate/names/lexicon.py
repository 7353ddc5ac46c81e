"""What Apertium's own dictionaries know about the words of a text, for name detection.

Name detection needs three facts a capitalisation pattern cannot give: is a word known at all (an
unknown capitalised word is almost always a name), is it known as a proper noun (``<np>``) or as a
common word (``board``, ``gobierno``), and does the bilingual dictionary give a proper noun an
established target-language form (``Andalucía`` -> ``Andalusia``: an exonym, to be translated,
not protected). The morphological analyser (``lt-proc -w X-Y.automorf.bin``) and the bilingual
dictionary (``lt-proc -b X-Y.autobil.bin``) of the installed Apertium pairs answer all three.

An ``ApertiumLexicon`` keeps one ``lt-proc`` process per dictionary alive (NUL-flushed batches,
never one process per word) until ``close()``; use it as a context manager. Starting those
processes costs more than analysing an article, so a long-lived caller keeps one lexicon per
language pair in a ``LexiconCache`` (the router owns one) and shares it between threads.
"""

from __future__ import annotations

import re
import shutil
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from babelwire.exceptions import EngineUnavailable
from babelwire.translate.engines.apertium.install import APERTIUM_ROOT, any_analyser, pair_file
from babelwire.translate.engines.apertium.process import KeptProcess
from babelwire.translate.kept import trim

_ESCAPE = re.compile(r"([\[\]\^$/@\\<>{}])")
_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_SPLIT_SLASH = re.compile(r"(?<!\\)/")
_TAGS = re.compile(r"<([^>]+)>")
_TIMEOUT_S = 60


@dataclass(frozen=True)
class Reading:
    """One analysis of a word: lemma in dictionary case and tags (``np``, ``ant``, ``sg`` ...)."""

    lemma: str
    tags: tuple[str, ...]

    @property
    def pos(self) -> str:
        """The part of speech: the first tag (``n``, ``np``, ``vblex``, ``det``, ``sent`` ...)."""
        return self.tags[0] if self.tags else ""

    @property
    def analysis(self) -> str:
        """The reading in Apertium stream form, as the bilingual dictionary takes it."""
        return self.lemma + "".join(f"<{t}>" for t in self.tags)


@dataclass(frozen=True)
class Unit:
    """One lexical unit of a paragraph as the analyser cut it: a word, multiword or punctuation."""

    surface: str
    start: int
    end: int
    readings: tuple[Reading, ...]  # empty: the analyser does not know the word

    @property
    def known(self) -> bool:
        """Whether the analyser knows the word."""
        return bool(self.readings)


def escape(text: str) -> str:
    """Escape text for Apertium's raw stream format (``-f none``)."""
    return _ESCAPE.sub(r"\\\1", text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text) if "\\" in text else text


def _parse_reading(raw: str) -> Reading:
    # A compound reading ("de<pr>+el<det><def>") is described by its parts' tags in order.
    head = raw.split("+", 1)[0]
    cut = head.find("<")
    lemma = (head if cut < 0 else head[:cut]).replace("#", "")
    # Compound readings ("de<pr>+el<det>...") need the regular expression; the rest, the fast way.
    tags = _TAGS.findall(raw) if "+" in raw or cut < 0 else raw[cut + 1:-1].split("><")
    return Reading(lemma=_unescape(lemma), tags=tuple(tags))



class ApertiumLexicon:
    """Morphological analysis and bilingual lookup for one language pair, by batch.

    ``target`` may be reached through one pivot (``fr`` -> ``en`` through ``es``): the bilingual
    lookup then chains both dictionaries. Raise ``EngineUnavailable`` when no installed pair
    analyses ``source``. Close it (or use ``with``) to end its ``lt-proc`` processes.
    """

    def __init__(self, source: str, target: str, *, root: Path = APERTIUM_ROOT,
                 recent: RecentAnalyses | None = None) -> None:
        # one caller at a time: each lt-proc answers batches in the order they were written
        self._lock = threading.Lock()
        self._recent = recent
        if shutil.which("lt-proc") is None:
            raise EngineUnavailable("lt-proc not found", hint="apt-get install apertium")
        self.source = source
        self.target = target
        self.bilingual = _bilingual_chain(root, source, target)
        first_hop = self.bilingual[0].name.split(".")[0] if self.bilingual else ""
        analyser = None
        if first_hop:
            analyser = self.bilingual[0].with_name(f"{first_hop}.automorf.bin")
        if analyser is None or not analyser.exists():
            analyser = any_analyser(root, source)
        if analyser is None:
            raise EngineUnavailable(f"no Apertium analyser for {source!r}",
                                    hint="install an apertium language pair for it")
        self.analyser = analyser
        self._processes: dict[str, KeptProcess] = {}
        # Each unit and each lemma is looked up on its own (a newline ends a multiword), so
        # answers can be kept: function words and names come back in article after article.
        self._parsed: dict[str, tuple[str, tuple[Reading, ...]]] = {}
        self._lemmas: dict[str, str | None] = {}

    def __enter__(self) -> ApertiumLexicon:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """End the ``lt-proc`` processes (a later call starts them again)."""
        with self._lock:
            for process in self._processes.values():
                process.close()
            self._processes.clear()

    def start(self, *, bilingual: bool = True) -> None:
        """Start the ``lt-proc`` processes now, without waiting for them to load their
        dictionaries: the analyser's, and with ``bilingual`` those of ``translate_lemmas``
        (each hop's dictionary, and after the first hop its language's analyser). The first
        call that needs one waits for it as for a process it started itself."""
        with self._lock:
            self._process("-w", str(self.analyser))
            if not bilingual:
                return
            for hop, dictionary in enumerate(self.bilingual):
                analyser = _analyser_of(dictionary)
                if hop and analyser.exists():
                    self._process("-w", str(analyser))
                self._process("-b", str(dictionary))

    def _process(self, *args: str) -> KeptProcess:
        key = " ".join(args)
        process = self._processes.get(key)
        if process is None or not process.alive():
            if process is not None:             # it died: a later batch gets a new one
                process.close()
            process = self._processes[key] = KeptProcess(["lt-proc", "-z", *args], label=args[-1])
        return process

    def analyse(self, paragraphs: Sequence[str]) -> list[list[Unit]]:
        """Cut each paragraph into units with their readings and character offsets."""
        key = (str(self.analyser), tuple(paragraphs))
        done = self._recent.get(key) if self._recent is not None else None
        if done is None:
            done = self._analyse(paragraphs)
            if self._recent is not None:
                self._recent.put(key, done)
        return [list(units) for units in done]

    def _analyse(self, paragraphs: Sequence[str]) -> list[list[Unit]]:
        # One line per paragraph in one batch: a newline is a blank to the analyser.
        stream = "".join(escape(p.replace("\n", " ")) + "\n" for p in paragraphs)
        with self._lock:
            lines = self._process("-w", str(self.analyser)).ask(stream, _TIMEOUT_S).split("\n")
            trim(self._parsed)
            return [_units(text, lines[i] if i < len(lines) else "", self._parsed)
                    for i, text in enumerate(paragraphs)]

    def translate_lemmas(self, readings: Sequence[Reading]) -> list[str | None]:
        """The target lemma of each reading by the bilingual dictionaries; None where unknown."""
        with self._lock:
            trim(self._lemmas)
            todo = list(dict.fromkeys(r.analysis for r in readings if r.analysis not in
                                      self._lemmas))
            self._lemmas.update(zip(todo, self._translate_lemmas(todo), strict=True))
            return [self._lemmas[r.analysis] for r in readings]

    def _translate_lemmas(self, analyses: Sequence[str]) -> list[str | None]:
        if not analyses:
            return []
        results: list[str | None] = list(analyses)
        for hop, dictionary in enumerate(self.bilingual):
            if hop:
                # The pivot dictionary wants the pivot language's own tags (gender, number):
                # analyse the pivot lemma again rather than pass the first hop's tags on.
                results = self._reanalyse(dictionary, results)
            todo = [(i, a) for i, a in enumerate(results) if a is not None]
            if not todo:
                break
            stream = "".join(f"^{escape_lemma(a)}$\n" for _, a in todo)
            lines = self._process("-b", str(dictionary)).ask(stream, _TIMEOUT_S).split("\n")
            for (i, _), line in zip(todo, lines, strict=False):
                results[i] = _first_translation(line)
        return [None if a is None else _unescape(_TAGS.sub("", a)) for a in results]

    def _reanalyse(self, dictionary: Path, analyses: list[str | None]) -> list[str | None]:
        analyser = _analyser_of(dictionary)
        todo = [(i, a) for i, a in enumerate(analyses) if a is not None]
        if not analyser.exists() or not todo:
            return analyses
        lemmas = [_unescape(_TAGS.sub("", a)) for _, a in todo]
        units = self._process("-w", str(analyser)).ask(
            "".join(escape(lemma) + "\n" for lemma in lemmas), _TIMEOUT_S).split("\n")
        out = list(analyses)
        for (i, analysis), lemma, line in zip(todo, lemmas, units, strict=False):
            tags = _TAGS.findall(analysis)
            found = _units(lemma, line)
            readings = [r for u in found if u.surface == lemma for r in u.readings]
            if not readings and len(found) == 2 and any(r.pos == "det"
                                                        for r in found[0].readings):
                # the pivot's form has its article ("les États-Unis" -> "los Estados Unidos"),
                # which its analyser reads apart: the name is the rest ("United States")
                readings = list(found[1].readings)
            same = [r for r in readings if list(r.tags[:1]) == tags[:1]]
            # the reading closest to the first hop's: "Siria" is a place (np loc) before it is
            # a first name (np ant), when the first hop said place
            same.sort(key=lambda r: -_shared_prefix(r.tags, tags))
            out[i] = same[0].analysis if same else analysis
        return out


def _analyser_of(dictionary: Path) -> Path:
    """The analyser installed beside a bilingual dictionary (of its source language): a pivot
    hop's lemma is analysed again with it."""
    return dictionary.with_name(dictionary.name.replace(".autobil.", ".automorf."))


def _shared_prefix(a: Sequence[str], b: Sequence[str]) -> int:
    """How many leading tags two tag lists share."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


class RecentAnalyses:
    """The last few texts analysed, by analyser: an article translated into several languages
    is analysed once when the pairs share their analyser (English for Spanish and French).
    Thread-safe."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple[str, tuple[str, ...]], list[list[Unit]]] = OrderedDict()

    def get(self, key: tuple[str, tuple[str, ...]]) -> list[list[Unit]] | None:
        """The units of an earlier analysis of the same paragraphs, if still kept."""
        with self._lock:
            return self._done.get(key)

    def put(self, key: tuple[str, tuple[str, ...]], units: list[list[Unit]]) -> None:
        """Keep an analysis (the oldest kept one goes when there are ``size``)."""
        with self._lock:
            self._done[key] = units
            while len(self._done) > self.size:
                self._done.popitem(last=False)


class LexiconCache:
    """One ``ApertiumLexicon`` per language pair, made on first use and shared by threads.

    ``get`` answers None for a pair no installed dictionary analyses (remembered too). ``close``
    ends every lexicon's processes; a later ``get`` starts them again.
    """

    def __init__(self, *, root: Path = APERTIUM_ROOT) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._lexicons: dict[tuple[str, str], ApertiumLexicon | None] = {}
        self._recent = RecentAnalyses()
        # a cache dropped without close() (a router nobody closed) still ends its processes
        weakref.finalize(self, _close_all, self._lexicons)

    def get(self, source: str, target: str) -> ApertiumLexicon | None:
        """The lexicon for ``source`` -> ``target``, or None when Apertium cannot analyse it."""
        with self._lock:
            if (source, target) not in self._lexicons:
                try:
                    lexicon: ApertiumLexicon | None = ApertiumLexicon(
                        source, target, root=self.root, recent=self._recent)
                except EngineUnavailable:
                    lexicon = None
                self._lexicons[(source, target)] = lexicon
            return self._lexicons[(source, target)]

    def close(self) -> None:
        """End the processes of every lexicon."""
        with self._lock:
            _close_all(self._lexicons)


def _close_all(lexicons: dict[tuple[str, str], ApertiumLexicon | None]) -> None:
    for lexicon in lexicons.values():
        if lexicon is not None:
            lexicon.close()
    lexicons.clear()


def escape_lemma(analysis: str) -> str:
    """Escape the lemma part of ``lemma<tags>`` for the bilingual dictionary's input."""
    cut = analysis.find("<")
    lemma, tags = (analysis, "") if cut < 0 else (analysis[:cut], analysis[cut:])
    return escape(lemma) + tags


def _first_translation(line: str) -> str | None:
    match = _UNIT.search(line)
    if not match:
        return None
    parts = _SPLIT_SLASH.split(match.group(1))
    if len(parts) < 2 or parts[1].startswith(("@", "*", "#")):
        return None
    return parts[1]


def _bilingual_chain(root: Path, source: str, target: str) -> list[Path]:
    direct = pair_file(root, source, target, "autobil.bin")
    if direct is not None:
        return [direct]
    for pivot in ("es", "en", "ca"):
        first = pair_file(root, source, pivot, "autobil.bin")
        second = pair_file(root, pivot, target, "autobil.bin")
        if first is not None and second is not None:
            return [first, second]
    return []



def _units(text: str, analysed: str,
           parsed: dict[str, tuple[str, tuple[Reading, ...]]] | None = None) -> list[Unit]:
    """Map the analyser's units back onto character offsets of the original paragraph.

    ``parsed`` keeps each unit's parse (surface and readings) by its text, for the next time.
    """
    units: list[Unit] = []
    cursor = 0
    for match in _UNIT.finditer(analysed):
        body = match.group(1)
        known = parsed.get(body) if parsed is not None else None
        if known is None:
            known = _parse_unit(body)
            if parsed is not None:
                parsed[body] = known
        surface, readings = known
        start = text.find(surface, cursor)
        if not surface or start < 0:
            continue  # the analyser normalised something we cannot place: skip the unit
        units.append(Unit(surface, start, start + len(surface), readings))
        cursor = start + len(surface)
    return units


def _parse_unit(body: str) -> tuple[str, tuple[Reading, ...]]:
    parts = _SPLIT_SLASH.split(body) if "\\" in body else body.split("/")
    return (_unescape(parts[0]),
            tuple(_parse_reading(p) for p in parts[1:] if not p.startswith("*")))
