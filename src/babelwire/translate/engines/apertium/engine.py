"""Apertium, the offline rule-based engine, kept alive between calls.

The ``apertium`` wrapper costs ~0.3 s per call and its ``-z`` mode hangs a long-lived caller (its
gawk filter waits for more input), so each language pair runs its pipeline directly, as printed by
``apertium-wblank-mode -z``, and stays up: every segment goes in as one line ending in a newline
and a NUL (without the newline Apertium loses the last character and the read hangs) and comes
back terminated by a NUL. All segments of a batch are written by a writer thread while the caller
reads, so a batch costs one round trip. The generator runs with ``-g`` so that unknown words come
back marked (``*word``); the codec turns the marks into ``<u>`` and removes them.

A translation must depend on its segment alone, not on what the process translated before (the
translation memory, the workers and a re-run all assume so). Every stage of the pairs' pipelines
forgets a segment at its NUL except the tagger, which rewrites its own model on some words (see
``tagger``): the pipeline is cut there, the stages before and after the tagger stay up,
and the tagger is replaced whenever it changed.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from babelwire.exceptions import EngineFailed, EngineUnavailable
from babelwire.settings import Settings
from babelwire.translate import markup
from babelwire.translate.engines.apertium import lexical, readings
from babelwire.translate.engines.apertium import stream as apertium_stream
from babelwire.translate.engines.apertium.install import INSTALL_HINT, discover_modes
from babelwire.translate.engines.apertium.process import KeptProcess, ProcessStopped
from babelwire.translate.engines.apertium.tagger import CleanTagger, ModeParts, split_mode, stages
from babelwire.translate.engines.base import Answer, Job, require_pair
from babelwire.translate.kept import trim
from babelwire.translate.names.wordlists import ENGLISH_PREFIXES

log = logging.getLogger(__name__)

# A pipeline that dies before answering anything is started once more; dying again without an
# answer (a segment that kills it, a broken install) fails the call.
MAX_BARREN_RESTARTS = 1
_BINARIES = ("apertium-wblank-mode", "lt-proc", "apertium-tagger", "apertium-transfer")
# targets whose noun phrases put the qualifying words before the noun ("Al-Qaeda organisation"):
# where transfer moved such a word into a kept name, it goes after the name, not before
_QUALIFIER_FIRST = frozenset({"en"})


# Run before the generator: puts back the blank some transfer rules drop between two words.
UNGLUE = Path(__file__).with_name("unglue.pl")


def _version(reading: str, choices: str) -> str:
    return f"{reading}; choices {choices}" if choices else reading


def with_unglue(command: str) -> str:
    """The pipeline with the unglue filter (``unglue.pl``) before its generator.

    The generator is the stage that takes the mode's ``$1`` option (``-g``/``-n``). Without perl
    or without such a stage the pipeline is returned as it is.
    """
    parts = stages(command)
    at = next((i for i, stage in enumerate(parts) if "$1" in stage), None)
    unglue = lexical.perl_stage(UNGLUE)
    if at is None or unglue is None:
        return command
    return " | ".join([*parts[:at], unglue, *parts[at:]])


class _Pipeline:
    """One running Apertium pipeline for one mode, cut around its tagger.

    The stages before the tagger and the stages after it stay up (two process groups); the
    tagger is a ``CleanTagger``, so that every segment is tagged as by a fresh process. Three
    threads keep all stages busy at once: one writes the batch into the first group, one pumps
    each segment from the first group through the tagger into the second, and the caller reads
    the answers.
    """

    def __init__(self, parts: ModeParts, timeout: float, label: str,
                 prepare: Callable[[bytes], bytes] | None = None) -> None:
        self.timeout = timeout
        self.label = label
        self.before = KeptProcess([parts.before], label=label, group=True)
        self.tagger = CleanTagger(parts.tagger, prepare) if parts.tagger else None
        self.after = KeptProcess([parts.after], label=label, group=True) if parts.tagger else None
        self._threads: list[threading.Thread] = []

    def alive(self) -> bool:
        """Whether every part of the pipeline is still running."""
        return self.before.alive() and (self.after is None or self.after.alive()) \
            and (self.tagger is None or self.tagger.alive())

    def run(self, lines: Sequence[str], deadline: float | None = None,
            answers: list[bytes] | None = None) -> list[bytes]:
        """Send each line as one NUL-terminated segment and read one answer per line into
        ``answers`` (returned); those read before a failure stay there. ``ProcessStopped``
        when a process of the pipeline ended before the last answer; ``EngineFailed`` at the
        ``deadline`` (by default the timeout, longer for a large batch)."""
        if deadline is None:
            deadline = time.monotonic() + self.timeout * max(1.0, len(lines) / 200)
        answers = [] if answers is None else answers
        payload = b"".join(line.encode("utf-8") + b"\n\0" for line in lines)
        errors: list[BaseException] = []
        writer = self.before.post(payload, errors)
        self._threads = [writer] if writer is not None else []
        if self.tagger is not None:
            pump = threading.Thread(target=self._pump, args=(len(lines), deadline, errors),
                                    daemon=True)
            pump.start()
            self._threads.append(pump)
        try:
            last = self.after or self.before
            last.read_answers(len(lines), deadline, answers)
        except EngineFailed as exc:
            self.close()
            kind = ProcessStopped if isinstance(exc, ProcessStopped) else EngineFailed
            raise kind(f"{exc}{_detail(errors)}", subject=self.label) from exc
        for thread in self._threads:
            thread.join(self.timeout)
        if errors:
            self.close()
            raise EngineFailed(f"{self.label} failed{_detail(errors)}", subject=self.label)
        return answers

    def _pump(self, count: int, deadline: float, errors: list[BaseException]) -> None:
        assert self.tagger is not None and self.after is not None
        try:
            self.tagger.pump(self.before.stdout.fileno(), self.after.stdin, count, deadline)
        except (OSError, ValueError, EngineFailed) as exc:
            errors.append(exc)
            self.after.end_input()      # the reader sees the end at once instead of waiting

    def close(self) -> None:
        """Stop every process of the pipeline, then close its pipes.

        The threads of a failed call are let go first (their pipes end when the processes do):
        a descriptor closed under a thread still reading it could be reused by the next
        pipeline, and the thread would read the next pipeline's answers.
        """
        self.before.kill()
        for part in (self.tagger, self.after):
            if part is not None:
                part.kill()
        for thread in self._threads:
            thread.join(self.timeout)
        self._threads = []
        self.before.close()
        if self.tagger is not None:
            self.tagger.close()
        if self.after is not None:
            self.after.close()


_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_ANALYSES = re.compile(r"(?:\\.|[^/\\])*/")       # a unit's surface form and its slash
_UNESCAPE = re.compile(r"\\(.)")


def _units(analysed: str) -> tuple[tuple[str, bool], ...]:
    """The surface form of each unit of an analysis, and whether the analyser knew it (not
    ``^word/*word$``)."""
    found = []
    for unit in _UNIT.findall(analysed):
        surface = _ANALYSES.match(unit)
        if surface is not None:
            found.append((_UNESCAPE.sub(r"\1", unit[:surface.end() - 1]),
                          not unit[surface.end():].startswith("*")))
    return tuple(found)


# English prefixes written with a hyphen before a word in lower case ("co-founder", "Co-author")
_PREFIXED = re.compile(r"(?<![\w-])(?:" + "|".join(f"[{p[0].upper()}{p[0]}]{p[1:]}"
                                                   for p in ENGLISH_PREFIXES)
                       + r")-[a-z]{3,}(?![\w-])")


def _write_solid(segment: str, write: dict[str, str]) -> str:
    """``segment`` with the words of ``write`` replaced in its text, outside protected terms."""
    if not any(w in segment for w in write):
        return segment
    nodes = markup.parse(segment)

    def visit(items: list[markup.Node]) -> None:
        for node in items:
            if node.kind == "text":
                node.text = _PREFIXED.sub(lambda m: write.get(m.group(0), m.group(0)), node.text)
            elif node.kind != "k":
                visit(node.children)

    visit(nodes)
    return markup.serialize(nodes)


def _detail(errors: Sequence[BaseException]) -> str:
    return f" ({errors[0]})" if errors else ""


class ApertiumEngine:
    """Apertium, one live pipeline per language pair (the modes in ``apertium_modes_dir``)."""

    name = "apertium"
    max_segments = 0

    def __init__(self, settings: Settings | None = None, *, timeout: float = 60.0,
                 lexical_choices: bool = True) -> None:
        modes_dir = (settings or Settings()).apertium_modes_dir
        missing = [b for b in _BINARIES if shutil.which(b) is None]
        if missing:
            raise EngineUnavailable(f"Apertium is not installed ({', '.join(missing)} missing)",
                                    hint=INSTALL_HINT, subject=self.name)
        self._modes = discover_modes(modes_dir)
        if not self._modes:
            raise EngineUnavailable(f"no Apertium language pair in {modes_dir}",
                                    hint=INSTALL_HINT, subject=self.name)
        self.timeout = timeout
        self.lexical_choices = lexical_choices    # babelwire's own (``lexical``); benches compare
        self.restarts = 0           # pipelines started again after dying mid-call
        self._commands: dict[tuple[str, str], str] = {}
        self._pipelines: dict[tuple[str, str], _Pipeline] = {}
        self._locks = {pair: threading.Lock() for pair in self._modes}
        self._analysers: dict[tuple[str, str], KeptProcess] = {}
        self._analyser_locks = {pair: threading.Lock() for pair in self._modes}
        self._unknown: dict[tuple[str, str], dict[str, tuple[tuple[str, bool], ...]]] = {}
        self._closed = False
        # asked on every call and for every route: made once (the choices' digest hashes
        # their rules, a few milliseconds a pair)
        self._pairs = {pair: _version(apertium_stream.READING,
                                      lexical.version(*pair) if lexical_choices else "")
                       for pair in self._modes}

    def pairs(self) -> dict[tuple[str, str], str]:
        """Every pair with an installed mode. Apertium has one model, its rules; what tells
        apart the answers the translation memory keeps is how babelwire reads Apertium's stream
        (``stream.READING``), and babelwire's own lexical choices for the pair (``lexical``):
        a memory written by an earlier reading or other choices is not served again."""
        return dict(self._pairs)

    def run(self, job: Job) -> Answer:
        """Translate neutral-markup segments through the pair's live pipeline."""
        require_pair(self, job)
        segments = self._joined_prefixes(job.src, job.tgt, job.segments)
        encoded = [apertium_stream.encode(s) for s in segments]
        todo = [i for i, e in enumerate(encoded) if e.stream.strip()]
        with self._locks[(job.src, job.tgt)]:
            raw = self._translate(job.src, job.tgt, [encoded[i].stream for i in todo])
        out = [""] * len(job.segments)
        for index, answer in zip(todo, raw, strict=True):
            out[index] = apertium_stream.decode(answer.decode("utf-8", errors="replace"),
                                                encoded[index],
                                                head_first=job.tgt not in _QUALIFIER_FIRST,
                                                tgt=job.tgt)
        return Answer(out)

    def _joined_prefixes(self, src: str, tgt: str, segments: Sequence[str]) -> Sequence[str]:
        """English ``segments`` with each word written with a prefix and a hyphen that the
        analyser knows only written solid ("co-founder": "cofounder") written solid, outside
        protected terms.

        The English analyser reads "co-founder" as an unknown "co", a dash and "founder", and
        transfer then gives the noun its own article: "The co-founder said" came out "El
        co-el fundador dijo" (and through Spanish "L'il-co-el fondateur"), "semi-final" and
        "post-war" as "poste-orden de guerra". Written solid, the dictionary knows them
        ("cofundador"). A hyphenated word the analyser knows as it is ("co-owner",
        "re-election") is left so. Why not in the pair's data: the Debian package's
        dictionaries are what is installed."""
        found = sorted({m.group(0) for s in segments for m in _PREFIXED.finditer(s)}) \
            if src == "en" else []
        if not found:
            return segments
        solid = [w.replace("-", "", 1) for w in found]
        units = self.analysed_units(src, tgt, [*found, *solid])
        # (the hyphenated word is not one known unit; its solid form is)
        write = {w: joined for w, joined, as_is, one in zip(
            found, solid, units[:len(found)], units[len(found):], strict=True)
            if not (len(as_is) == 1 and as_is[0][1]) and len(one) == 1 and one[0][1]}
        if not write:
            return segments
        return [_write_solid(s, write) for s in segments]

    def start(self, src: str, tgt: str) -> None:
        """Start the pair's pipeline now if it is not running, without waiting for its
        processes to load their data (they do so while the caller goes on; a call made before
        they are done waits for them as for a pipeline started by the call itself)."""
        require_pair(self, Job((), src, tgt))
        with self._locks[(src, tgt)]:
            self._pipeline(src, tgt)

    def start_analyser(self, src: str, tgt: str) -> None:
        """Start the pair's analyser (``unknown_words``) now if it is not running, without
        waiting for it to load its dictionary, as ``start`` does for the pipeline."""
        require_pair(self, Job((), src, tgt))
        with self._analyser_locks[(src, tgt)]:
            self._analyser(src, tgt)

    def unknown_words(self, src: str, tgt: str, segments: Sequence[str]) -> list[tuple[str, ...]]:
        """Per neutral-markup segment, the words the pair's analyser (the first stage of its
        pipeline, run alone) does not know, as the stream wrote them: the translation of the
        segment has each of them marked ``<u>``, whatever the rest of the pipeline does. Route
        choice asks this before sending a segment through another route. Answers are kept per
        pair."""
        # (as the pipeline is sent them: "co-founder" written solid)
        sent = self._joined_prefixes(src, tgt, segments)
        return [tuple(surface for surface, known in units if not known)
                for units in self.analysed_units(src, tgt, sent)]

    def analysed_units(self, src: str, tgt: str, segments: Sequence[str]
                       ) -> list[tuple[tuple[str, bool], ...]]:
        """Per neutral-markup segment, the units the pair's analyser cut it into, as the stream
        wrote them, each with whether the analyser knew it. Answers are kept per pair."""
        require_pair(self, Job(tuple(segments), src, tgt))
        with self._analyser_locks[(src, tgt)]:
            kept = self._unknown.setdefault((src, tgt), {})
            trim(kept)
            todo = list(dict.fromkeys(s for s in segments if s not in kept))
            if todo:
                streams = [apertium_stream.encode(s).stream for s in todo]
                payload = b"".join(line.encode("utf-8") + b"\n\0" for line in streams)
                process = self._analyser(src, tgt)
                try:
                    answers = process.exchange(payload, len(todo), self.timeout)
                except EngineFailed:
                    process.close()
                    raise
                kept.update((s, _units(a.decode("utf-8", errors="replace")))
                            for s, a in zip(todo, answers, strict=True))
            return [kept[s] for s in segments]

    def _analyser(self, src: str, tgt: str) -> KeptProcess:
        process = self._analysers.get((src, tgt))
        if process is None or not process.alive():
            if self._closed:
                raise EngineFailed("the Apertium engine was closed", subject=self.name,
                                   retryable=False)
            first = stages(self._command_of(src, tgt))[0]
            process = self._analysers[(src, tgt)] = KeptProcess(
                [first], label=f"apertium {src}-{tgt} analyser", group=True)
        return process

    def _translate(self, src: str, tgt: str, lines: Sequence[str]) -> list[bytes]:
        """One answer per line. A pipeline that dies on the way is started again and given the
        lines it did not answer (every answer depends on its segment alone, so the result is
        the same as without the death), as long as each pipeline answers something before it
        dies; one that dies twice in a row without answering fails the call, and the router
        falls back."""
        deadline = time.monotonic() + self.timeout * max(1.0, len(lines) / 200)
        answers: list[bytes] = []
        barren = 0
        while True:
            before = len(answers)
            try:
                return self._pipeline(src, tgt).run(lines[before:], deadline, answers)
            except ProcessStopped as exc:
                barren = 0 if len(answers) > before else barren + 1
                if barren > MAX_BARREN_RESTARTS or time.monotonic() >= deadline:
                    raise EngineFailed(f"{exc} (after {len(answers)} of {len(lines)} segments)",
                                       subject=self.name) from exc
                self.restarts += 1
                log.warning("apertium %s-%s stopped after %d of %d segments (%s): restarted",
                            src, tgt, len(answers), len(lines), exc)

    def _pipeline(self, src: str, tgt: str) -> _Pipeline:
        if self._closed:
            raise EngineFailed("the Apertium engine was closed", subject=self.name,
                               retryable=False)
        pipeline = self._pipelines.get((src, tgt))
        if pipeline is None or not pipeline.alive():
            if pipeline is not None:
                pipeline.close()
            pipeline = _Pipeline(split_mode(self._command_of(src, tgt)), self.timeout,
                                 f"apertium {src}-{tgt}", readings.rules_for(src))
            self._pipelines[(src, tgt)] = pipeline
        return pipeline

    def _command_of(self, src: str, tgt: str) -> str:
        """The pair's shell pipeline, read from its mode file once."""
        if (src, tgt) not in self._commands:
            self._commands[(src, tgt)] = self._command(src, tgt)
        return self._commands[(src, tgt)]

    def _command(self, src: str, tgt: str) -> str:
        mode = self._modes[(src, tgt)]
        try:
            done = subprocess.run(["apertium-wblank-mode", "-z", str(mode)], capture_output=True,
                                  text=True, timeout=self.timeout, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineUnavailable(f"cannot read Apertium mode {mode}: {exc}",
                                    hint=INSTALL_HINT, subject=self.name) from exc
        command = done.stdout.strip()
        if self.lexical_choices:
            command = lexical.with_choices(command, src, tgt)
        return with_unglue(command)

    def close(self) -> None:
        """Stop every pipeline."""
        self._closed = True
        for pipeline in self._pipelines.values():
            pipeline.close()
        self._pipelines.clear()
        for process in self._analysers.values():
            process.close()
        self._analysers.clear()
