"""Every dictionary installed for a language, asked one question: is this a word of it?

The reader-side checks look at every word a reader will read and need to know whether it belongs
to the target language, to another language (the source, the pivot), or to none. Two kinds of
dictionary answer, and a word is known to a language when any of them knows it:

- Apertium's morphological analysers: every installed ``*.automorf.bin`` of the language (the
  English of ``eng-spa``, ``eng-cat`` and ``en-eo`` each know words the others do not). Each runs
  as one ``lt-proc -w -z`` process kept alive between calls, asked one batch per call.
- Debian's hunspell word lists (``hunspell-en-us``, ``hunspell-es``, ``hunspell-fr``), read with
  the ``hunspell`` binding. They know many words Apertium's lexicons lack, which a neural engine
  writes freely.

Answers are kept per language (a long-lived ``Dictionaries`` stays bounded), so the function
words of article after article are looked up once. Thread-safe: one caller at a time per process.
Without lt-proc or hunspell, the part that is missing answers nothing; ``available`` says whether
any dictionary serves a language.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babelwire.exceptions import TranslateError
from babelwire.translate.engines.apertium.install import APERTIUM_ROOT, installed_analysers
from babelwire.translate.engines.apertium.process import KeptProcess, segment
from babelwire.translate.kept import trim
from babelwire.translate.names.lexicon import escape

HUNSPELL_DIR = Path("/usr/share/hunspell")
# The word lists read per language, in order; those not installed are skipped. Spanish news comes
# from Spain and the Americas, so three variants are read.
HUNSPELL_VARIANTS: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB"),
    "es": ("es_ES", "es_MX", "es_AR"),
    "fr": ("fr_FR", "fr"),
    "ca": ("ca_ES", "ca"),
    "de": ("de_DE",),
    "it": ("it_IT",),
    "pt": ("pt_PT", "pt_BR"),
}
_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_TIMEOUT_S = 60
_UNKNOWN, _SPELLER, _ANALYSER = 0, 1, 2     # who knows a word: nobody, a word list, Apertium


@dataclass(frozen=True)
class _Analyser:
    """One installed analyser: its file and the language it analyses."""

    path: Path
    lang: str



class Dictionaries:
    """Apertium analysers and hunspell word lists per language, kept open until ``close``."""

    def __init__(self, *, apertium_root: Path = APERTIUM_ROOT,
                 hunspell_dir: Path = HUNSPELL_DIR) -> None:
        self._lock = threading.Lock()
        has_lt_proc = shutil.which("lt-proc") is not None
        self._analysers = installed_analysers(apertium_root) if has_lt_proc else {}
        self._hunspell_dir = hunspell_dir
        self._processes: dict[Path, KeptProcess] = {}
        self._spellers: dict[str, list[Any]] = {}
        self._known: dict[str, dict[str, int]] = {}      # word -> _UNKNOWN/_SPELLER/_ANALYSER
        # dropped without close() (a router nobody closed), it still ends its processes
        weakref.finalize(self, _close_all, self._processes)

    def __enter__(self) -> Dictionaries:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def available(self, lang: str) -> bool:
        """Whether any dictionary of ``lang`` is installed."""
        return bool(self._analysers.get(lang)) or bool(self._speller_list(lang))

    def languages(self) -> frozenset[str]:
        """Every language some installed dictionary serves."""
        with_hunspell = {lang for lang in HUNSPELL_VARIANTS if self._speller_list(lang)}
        return frozenset(self._analysers) | with_hunspell

    def known(self, lang: str, words: Iterable[str]) -> frozenset[str]:
        """The ``words`` that some dictionary of ``lang`` knows (one batch per analyser)."""
        return self._at_least(lang, words, _SPELLER)

    def analysed(self, lang: str, words: Iterable[str]) -> frozenset[str]:
        """The ``words`` that an Apertium analyser of ``lang`` knows: the words of the language
        an engine could have translated, as opposed to those only a word list has."""
        return self._at_least(lang, words, _ANALYSER)

    def start(self, lang: str) -> None:
        """Open ``lang``'s word lists and start its analysers' processes now, without waiting
        for them to load their dictionaries (they do so while the caller goes on; the first
        look-up waits for them as for processes it started itself)."""
        with self._lock:
            for path in self._analysers.get(lang, []):
                self._process(path)
            self._speller_list(lang)

    def _at_least(self, lang: str, words: Iterable[str], level: int) -> frozenset[str]:
        wanted = {w for w in words if w}
        with self._lock:
            cache = self._known.setdefault(lang, {})
            trim(cache)
            todo = [w for w in wanted if w not in cache]
            if todo:
                cache.update(self._look_up(lang, todo))
            return frozenset(w for w in wanted if cache[w] >= level)

    def _look_up(self, lang: str, words: list[str]) -> dict[str, int]:
        answers = dict.fromkeys(words, _UNKNOWN)
        known = self._analyse(self._analysers.get(lang, []), words)
        answers.update(dict.fromkeys(known, _ANALYSER))
        spellers = self._speller_list(lang)
        for word in (w for w in words if w not in known):
            if any(_spell(s, word) for s in spellers):
                answers[word] = _SPELLER
        return answers

    def _analyse(self, paths: Sequence[Path], words: Sequence[str]) -> set[str]:
        """The words that some analyser of ``paths`` knows (every unit of the word analysed).

        Every analyser is given every word at once and they answer side by side: a language has
        up to four, and asking each in turn only for the words the ones before did not know
        cost four round trips for the same answer."""
        payload = segment("".join(escape(_plain_apostrophe(w)) + "\n" for w in words))
        asked = []
        for path in paths:
            process = self._process(path)
            errors: list[BaseException] = []
            asked.append((process, process.post(payload, errors)))
        deadline = time.monotonic() + _TIMEOUT_S
        known: set[str] = set()
        for index, (process, writer) in enumerate(asked):
            try:
                answer = process.read_answers(1, deadline)[0].decode("utf-8", errors="replace")
            except TranslateError:
                continue                 # a dead analyser knows nothing; the next call restarts it
            except BaseException:
                for unread, _ in asked[index:]:
                    unread.kill()        # its answer would be read as the next call's
                raise
            finally:
                if writer is not None:
                    writer.join(_TIMEOUT_S)
            known.update(w for w, line in zip(words, answer.split("\n"), strict=False)
                         if _all_known(line))
        return known

    def _process(self, path: Path) -> KeptProcess:
        """The analyser's kept process, started if it is not running (the lock is held)."""
        process = self._processes.get(path)
        if process is None or not process.alive():
            if process is not None:
                process.close()         # its pipes, before a new one takes its place
            process = self._processes[path] = KeptProcess(
                ["lt-proc", "-w", "-z", str(path)], label=str(path))
        return process

    def _speller_list(self, lang: str) -> list[Any]:
        if lang not in self._spellers:
            self._spellers[lang] = _open_spellers(self._hunspell_dir, lang)
        return self._spellers[lang]

    def close(self) -> None:
        """End the analysers' processes (a later call starts them again)."""
        with self._lock:
            _close_all(self._processes)


def _close_all(processes: dict[Path, KeptProcess]) -> None:
    for process in processes.values():
        process.close()
    processes.clear()


def _plain_apostrophe(word: str) -> str:
    # Apertium's French and English dictionaries write elisions and genitives with "'".
    return word.replace("’", "'")


def _all_known(line: str) -> bool:
    units = _UNIT.findall(line)
    words = [u for u in units if any(c.isalpha() for c in u.split("/", 1)[0])]
    return bool(words) and all("/" in u and not u.split("/", 2)[1].startswith(("*", "@", "#"))
                               for u in words)


def _open_spellers(folder: Path, lang: str) -> list[Any]:
    """The hunspell word lists of ``lang`` installed in ``folder`` ([] without the binding)."""
    try:
        import hunspell  # the C binding; optional: without it Apertium's analysers answer alone
    except ImportError:
        return []
    spellers, opened = [], set()
    for name in HUNSPELL_VARIANTS.get(lang, (lang,)):
        dic, aff = folder / f"{name}.dic", folder / f"{name}.aff"
        # Debian installs variants as links to one list (es_MX, es_AR -> es_ES; fr_FR -> fr):
        # each list is read once, and a word is asked of it once
        files = (dic.resolve(), aff.resolve())
        if dic.exists() and aff.exists() and files not in opened:
            opened.add(files)
            spellers.append(hunspell.HunSpell(str(dic), str(aff)))
    return spellers


def _spell(speller: Any, word: str) -> bool:
    try:
        return bool(speller.spell(word))
    except UnicodeError:                 # a word the list's charset cannot hold is not in it
        return False
