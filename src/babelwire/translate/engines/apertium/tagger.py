"""Apertium's part-of-speech tagger, kept in the state it starts in.

``apertium-tagger -g`` (HMM, Apertium 3.8) changes its own model while it runs. When a word's
ambiguity class is not in the model ("A new ambiguity class was found"), it looks for the nearest
class it knows (``find_similar_ambiguity_class`` in ``tagger_utils.cc``), and on the way assigns
what it finds to the *open class* (the tags an unknown word may take) through a reference: from
then on, unknown words get fewer tags and later new classes are matched differently, in every
later segment. A NUL or a sentence end does not undo it. Seen in es-fr: "Bajo su mando el
ejército avanzó." tags "Bajo" as a verb in a fresh tagger and as an adverb once the tagger has
met "cierto" -- for ever after. So the same sentence would come back worded differently
depending on what the process translated before.

A fresh tagger per segment would cost 15-20 ms of CPU each (starting the process, mostly), per
call would leave a segment depending on the others of its call. Instead each tagger runs with
``-d``, which reports every such word on stderr and changes nothing else (the output is the same,
byte for byte), and is replaced (by a spare started in advance) right after the segment that
made it report; the segments after that one go again to the new tagger. A tagger that never
reported is still in its initial state and serves on, across calls. Only segments with such a
word cost a restart: about 1 in 6 sentences in es-fr, 1 in 13 in en-es, almost none in es-en and
fr-es. The tagger also keeps Viterbi state between words, but resets it at each NUL.

Why not keep a changed tagger for the segments it would still tag as a fresh one does: the open
class is read only for unknown words (no analysis but ``*word``) and as the start of the search
for a later new class, so a changed tagger does answer every segment without either as a fresh
one (newstest2013 after the first change: es-fr 1,197 and en-es 1,321 such sentences, none
different). But each segment with a new class still needs a tagger in its initial state, and
that costs the same one start: kept serving until a segment it cannot answer, es-fr's taggers
would be replaced 577 times instead of 594 on those 3,000 sentences (docs/performance.md,
2026-12-06).

The averaged perceptron tagger (``-x``, English -> Catalan) has no such model change: it tags each
segment alone (a fresh process per segment and one process for 1,242 newstest sentences, in either
order, answer byte for byte the same), and its ``-d`` prints its feature scores, tens of kilobytes
a sentence, which made the cut pipeline twelve times slower than English -> Spanish. It stays an
ordinary stage of the pipeline.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO

from babelwire.exceptions import EngineFailed
from babelwire.translate.engines.apertium.process import CHUNK, KeptProcess

# What the tagger prints (with -d) when it is about to change its open class, and the report
# up to the word that made it ("Word 'cierto'.").
_TAINT = b"new ambiguity class"
_REPORT = re.compile(rb"new ambiguity class was found\.[^\n]*\n(?:[^\n]*\n)*?"
                     rb"Word '([^\n]*)'\.\n")


@dataclass(frozen=True)
class ModeParts:
    """A mode's pipeline cut around its tagger: the shell stages before and after it, and the
    tagger's own command line (empty when the mode has no ``apertium-tagger`` stage)."""

    before: str
    tagger: tuple[str, ...]
    after: str


def split_mode(command: str) -> ModeParts:
    """Cut the pipeline printed by ``apertium-wblank-mode -z`` at its first ``apertium-tagger``.

    ``$2`` (extra tagger options in the mode) is dropped; ``-d`` is added to the tagger. A
    perceptron tagger does not change its model: its pipeline is not cut.
    """
    parts = stages(command)
    for index, stage in enumerate(parts):
        words = shlex.split(stage.replace("$2", ""))
        if words and os.path.basename(words[0]) == "apertium-tagger":
            if _perceptron(words[1:]):
                break
            return ModeParts(" | ".join(parts[:index]), (words[0], "-d", *words[1:]),
                             " | ".join(parts[index + 1:]))
    return ModeParts(command, (), "")


def _perceptron(options: list[str]) -> bool:
    """Whether a tagger's options choose the averaged perceptron (``-x``, ``-gx``)."""
    return any(o == "--perceptron" or (o.startswith("-") and not o.startswith("--") and "x" in o)
               for o in options)


def stages(command: str) -> list[str]:
    """The stages of a shell pipeline (``|`` outside quotes), stripped."""
    stages: list[str] = []
    current: list[str] = []
    quote = ""
    for char in command:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "|":
            stages.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    stages.append("".join(current).strip())
    return [s for s in stages if s]


class _TaggerProcess:
    """One ``apertium-tagger -z -d`` process and the segments it is working on."""

    def __init__(self, argv: tuple[str, ...]) -> None:
        self.process = KeptProcess(argv, stderr=True)
        self.stdin, self.stdout, self.stderr = (self.process.stdin.fileno(),
                                                self.process.stdout.fileno(),
                                                self.process.stderr_fd)
        for fd in (self.stdin, self.stderr):
            os.set_blocking(fd, False)
        self.inside: deque[bytes] = deque()     # segments given, answer not read yet
        self.answered = 0
        self.errors = bytearray()               # stderr not looked at yet
        self.taint_at: int | None = None        # the first segment that changed the model

    def answered_one(self) -> bool:
        """Note that the oldest segment given is answered; whether the tagger changed its model
        on it or before (its answer is good either way: the state at its start counts)."""
        segment = self.inside.popleft()
        index = self.answered
        self.answered += 1
        self.errors += _drain(self.stderr)
        for word in self._reports():
            at = self._locate(word, index, segment)
            self.taint_at = at if self.taint_at is None else min(self.taint_at, at)
        return self.taint_at is not None and self.taint_at <= index

    def _reports(self) -> list[bytes]:
        """The words of the complete reports printed so far (each is read once)."""
        words = []
        while match := _REPORT.search(self.errors):
            words.append(match.group(1))
            del self.errors[:match.end()]
        start = self.errors.find(_TAINT)        # an unfinished report stays for next time
        del self.errors[:start if start >= 0 else max(0, len(self.errors) - len(_TAINT))]
        return words

    def _locate(self, word: bytes, index: int, segment: bytes) -> int:
        """Which segment made the report: the first, from the one just answered on, holding
        ``word``. Every report of a segment is printed before its answer ends, so it is not an
        earlier one; a report that cannot be placed counts for the segment just answered."""
        needle = b"^" + word + b"/"
        for offset, candidate in enumerate((segment, *self.inside)):
            if needle in candidate:
                return index + offset
        return index

    def kill(self) -> None:
        """Stop the process (its pipes stay open until ``close``)."""
        self.process.kill()

    def close(self) -> None:
        """End the process and close its pipes."""
        self.process.close()


def _drain(fd: int) -> bytes:
    """Whatever is waiting on a non-blocking descriptor (b"" when nothing)."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, CHUNK)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class _Flow:
    """Segments of one call on their way through the tagger."""

    count: int                                        # segments the call sends
    received: int = 0                                 # read from the stages before
    done: int = 0                                     # written to the stages after
    waiting: deque[bytes] = field(default_factory=deque)   # not yet given to the tagger
    writing: memoryview = field(default_factory=lambda: memoryview(b""))  # rest being given
    answer: bytearray = field(default_factory=bytearray)   # tagger output after its last NUL


class CleanTagger:
    """Tags segments as a freshly started tagger would, between two kept-alive stage groups.

    Segments stream through the tagger without waiting for each other. Everything a segment
    makes the tagger report is on its stderr before the NUL ending the segment's answer is on
    its stdout, and a report names its word, which tells which segment made it. Answers up to
    that segment are good; the tagger is then replaced by a spare (started in advance) and the
    segments after it go again to the new one. Used by one thread at a time; ``restarts``
    counts the replacements (for benchmarks).
    """

    def __init__(self, argv: tuple[str, ...],
                 prepare: Callable[[bytes], bytes] | None = None) -> None:
        self.argv = argv
        self.prepare = prepare            # rules on each analysed segment (``readings``)
        self._tagger = _TaggerProcess(argv)
        # starting and ending taggers happens on a helper thread, off the pipeline's path
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apertium-tagger")
        self._spare: Future[_TaggerProcess] | None = None
        self._partial = b""               # output of the stages before, after its last NUL
        self.restarts = 0

    def pump(self, source: int, sink: IO[bytes], count: int, deadline: float) -> None:
        """Move ``count`` segments from ``source`` (a descriptor) through the tagger to
        ``sink``, in order; ``EngineFailed`` when a stage stops or the deadline passes."""
        flow = _Flow(count)
        while flow.done < flow.count:
            tagger = self._tagger
            # stderr too: a tagger blocked on a full stderr pipe would never answer
            reads = [tagger.stdout, tagger.stderr] + ([source] if flow.received < count else [])
            writes = [tagger.stdin] if flow.writing or flow.waiting else []
            ready, writable, _ = select.select(reads, writes, [],
                                               max(0.0, deadline - time.monotonic()))
            if not ready and not writable:
                raise EngineFailed("apertium-tagger timed out", subject="apertium-tagger")
            if source in ready:
                self._take(source, flow)
            if writable:
                self._give(flow)
            if tagger.stderr in ready:
                tagger.errors += _drain(tagger.stderr)
            if tagger.stdout in ready:
                sink.write(self._answers(flow))
                sink.flush()

    def _take(self, source: int, flow: _Flow) -> None:
        chunk = os.read(source, CHUNK)
        if not chunk:
            raise EngineFailed("the stages before the tagger stopped", subject="apertium")
        *segments, self._partial = (self._partial + chunk).split(b"\0")
        if self.prepare is not None:
            segments = [self.prepare(segment) for segment in segments]
        flow.waiting.extend(segments)
        flow.received += len(segments)

    def _give(self, flow: _Flow) -> None:
        if not flow.writing:
            segment = flow.waiting.popleft()
            self._tagger.inside.append(segment)
            flow.writing = memoryview(segment + b"\0")
        with contextlib.suppress(BlockingIOError):
            flow.writing = flow.writing[os.write(self._tagger.stdin, flow.writing[:CHUNK]):]

    def _answers(self, flow: _Flow) -> bytes:
        """The answers completed by what the tagger printed now (each NUL-terminated)."""
        chunk = os.read(self._tagger.stdout, CHUNK)
        if not chunk:
            raise EngineFailed("apertium-tagger stopped", subject="apertium-tagger")
        flow.answer += chunk
        good: list[bytes] = []
        while (end := flow.answer.find(b"\0")) >= 0:
            good.append(bytes(flow.answer[:end + 1]))
            del flow.answer[:end + 1]
            if self._tagger.answered_one():
                self._replace(flow)
                break
        flow.done += len(good)
        return b"".join(good)

    def _replace(self, flow: _Flow) -> None:
        """A new tagger; what the old one was given after the good answers goes again."""
        old = self._tagger
        self._tagger = self._spare.result() if self._spare else _TaggerProcess(self.argv)
        self._spare = self._helper.submit(_TaggerProcess, self.argv)   # loads in ~11 ms
        self._helper.submit(old.close)
        self.restarts += 1
        flow.waiting.extendleft(reversed(old.inside))
        flow.writing = memoryview(b"")
        flow.answer.clear()

    def alive(self) -> bool:
        """Whether the serving tagger is still running."""
        return self._tagger.process.alive()

    def kill(self) -> None:
        """Stop the serving tagger, so that a pump waiting on it returns (see ``close``)."""
        self._tagger.kill()

    def close(self) -> None:
        """End the tagger and its spare, and close their pipes."""
        self._tagger.close()
        if self._spare is not None:
            with contextlib.suppress(OSError):
                self._spare.result().close()
        self._helper.shutdown(wait=True)
