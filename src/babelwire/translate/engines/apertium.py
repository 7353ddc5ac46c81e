"""Apertium, the offline rule-based engine, kept alive between calls.

The ``apertium`` wrapper costs ~0.3 s per call and its ``-z`` mode hangs a long-lived caller (its
gawk filter waits for more input), so each language pair runs its pipeline directly, as printed by
``apertium-wblank-mode -z``, and stays up: every segment goes in as one line ending in a newline
and a NUL (without the newline Apertium loses the last character and the read hangs) and comes
back terminated by a NUL. All segments of a batch are written by a writer thread while the caller
reads, so a batch costs one round trip. The generator runs with ``-g`` so that unknown words come
back marked (``*word``); the codec turns the marks into ``<u>`` and removes them.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from babelwire.exceptions import EngineFailed, EngineUnavailable, UnsupportedPair
from babelwire.translate.engines import apertium_stream

INSTALL_HINT = ("apt-get install apertium apertium-eng-spa apertium-fr-es apertium-eng-cat "
                "apertium-fra-cat apertium-eo-en apertium-eo-fr")
_ISO = {"eng": "en", "spa": "es", "fra": "fr", "cat": "ca", "epo": "eo", "por": "pt",
        "ita": "it", "deu": "de", "glg": "gl", "oci": "oc"}
_MODE_NAME = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})\.mode$")
_BINARIES = ("apertium-wblank-mode", "lt-proc", "apertium-tagger", "apertium-transfer")


def _iso(code: str) -> str:
    return _ISO.get(code, code)


def discover_modes(modes_dir: str) -> dict[tuple[str, str], Path]:
    """The plain translation modes in ``modes_dir`` by ISO 639-1 pair (variants are skipped)."""
    folder = Path(modes_dir)
    if not folder.is_dir():
        return {}
    modes: dict[tuple[str, str], Path] = {}
    for path in sorted(folder.glob("*.mode")):
        match = _MODE_NAME.match(path.name)
        if match:
            modes.setdefault((_iso(match.group(1)), _iso(match.group(2))), path)
    return modes


class _Pipeline:
    """One running Apertium pipeline for one mode (about 11 processes in one process group)."""

    def __init__(self, command: str, timeout: float, label: str) -> None:
        self.timeout = timeout
        self.label = label
        self.proc = subprocess.Popen(
            ["bash", "-c", command, "pipeline", "-g", ""], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)

    def alive(self) -> bool:
        """Whether the pipeline is still running."""
        return self.proc.poll() is None

    def run(self, lines: Sequence[str]) -> list[str]:
        """Send each line as one NUL-terminated segment and read one answer per line."""
        payload = b"".join(line.encode("utf-8") + b"\n\0" for line in lines)
        errors: list[BaseException] = []
        writer = threading.Thread(target=self._write, args=(payload, errors), daemon=True)
        writer.start()
        answers = self._read(len(lines))
        writer.join(self.timeout)
        if errors:
            raise EngineFailed(f"cannot write to {self.label}: {errors[0]}", subject=self.label)
        return answers

    def _write(self, payload: bytes, errors: list[BaseException]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(payload)
            self.proc.stdin.flush()
        except OSError as exc:  # the pipeline died; the reader reports it
            errors.append(exc)

    def _read(self, count: int) -> list[str]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + self.timeout * max(1.0, count / 200)
        buffer, answers = b"", list[str]()
        while len(answers) < count:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(0.0, remaining))
            if not ready:
                self.close()
                raise EngineFailed(f"{self.label} timed out", subject=self.label)
            chunk = os.read(fd, 65536)
            if not chunk:
                self.close()
                raise EngineFailed(f"{self.label} stopped", subject=self.label)
            buffer += chunk
            *done, buffer = buffer.split(b"\0")
            answers.extend(part.decode("utf-8", errors="replace") for part in done)
        return answers[:count]

    def close(self) -> None:
        """Stop every process of the pipeline."""
        if self.proc.stdin:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


class ApertiumEngine:
    """Apertium behind the ``Translator`` interface, one live pipeline per language pair."""

    name = "apertium"

    def __init__(self, *, modes_dir: str = "/usr/share/apertium/modes",
                 timeout: float = 60.0) -> None:
        missing = [b for b in _BINARIES if shutil.which(b) is None]
        if missing:
            raise EngineUnavailable(f"Apertium is not installed ({', '.join(missing)} missing)",
                                    hint=INSTALL_HINT, subject=self.name)
        self._modes = discover_modes(modes_dir)
        if not self._modes:
            raise EngineUnavailable(f"no Apertium language pair in {modes_dir}",
                                    hint=INSTALL_HINT, subject=self.name)
        self.timeout = timeout
        self._pipelines: dict[tuple[str, str], _Pipeline] = {}
        self._locks = {pair: threading.Lock() for pair in self._modes}
        self._closed = False

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every pair with an installed mode."""
        return frozenset(self._modes)

    def supports(self, src: str, tgt: str) -> bool:
        """Whether a mode for ``src`` -> ``tgt`` is installed."""
        return (src, tgt) in self._modes

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> list[str]:
        """Translate neutral-markup segments through the pair's live pipeline."""
        if not self.supports(src, tgt):
            raise UnsupportedPair(f"Apertium has no {src}->{tgt} pair", subject=self.name)
        encoded = [apertium_stream.encode(s) for s in segments]
        todo = [i for i, e in enumerate(encoded) if e.stream.strip()]
        with self._locks[(src, tgt)]:
            raw = self._pipeline(src, tgt).run([encoded[i].stream for i in todo])
        out = [""] * len(segments)
        for index, answer in zip(todo, raw, strict=True):
            out[index] = apertium_stream.decode(answer, encoded[index])
        return out

    def _pipeline(self, src: str, tgt: str) -> _Pipeline:
        if self._closed:
            raise EngineFailed("the Apertium engine was closed", subject=self.name,
                               retryable=False)
        pipeline = self._pipelines.get((src, tgt))
        if pipeline is None or not pipeline.alive():
            if pipeline is not None:
                pipeline.close()
            pipeline = _Pipeline(self._command(src, tgt), self.timeout, f"apertium {src}-{tgt}")
            self._pipelines[(src, tgt)] = pipeline
        return pipeline

    def _command(self, src: str, tgt: str) -> str:
        mode = self._modes[(src, tgt)]
        try:
            done = subprocess.run(["apertium-wblank-mode", "-z", str(mode)], capture_output=True,
                                  text=True, timeout=self.timeout, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineUnavailable(f"cannot read Apertium mode {mode}: {exc}",
                                    hint=INSTALL_HINT, subject=self.name) from exc
        return done.stdout.strip()

    def close(self) -> None:
        """Stop every pipeline."""
        self._closed = True
        for pipeline in self._pipelines.values():
            pipeline.close()
        self._pipelines.clear()
