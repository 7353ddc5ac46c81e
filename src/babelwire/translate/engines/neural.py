"""Local neural models with CTranslate2: Argos Translate packages and converted OPUS-MT models.

Each pair's model is loaded on first use with its SentencePiece tokenizer(s) and a
``MicroBatcher`` that decodes sentences from concurrent calls together. Sentences go whole, as
plain text; tags and protected terms are projected back (``engines.plain``). Beam size, threads
and device (cpu/cuda) come from the settings. Usage: tokens in and out are counted from the
tokenizer, seconds are the call's share of each batch it was in.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babelwire.exceptions import EngineFailed, EngineUnavailable, UnsupportedPair
from babelwire.settings import Settings
from babelwire.translate.engines import plain
from babelwire.translate.engines.base import Answer, Job
from babelwire.translate.engines.batcher import MicroBatcher
from babelwire.translate.engines.neural_models import ModelInfo, find_models, models_dirs

INSTALL_HINT = "pip install ctranslate2 sentencepiece  (babelwire's optional extra 'neural')"


def _modules() -> tuple[Any, Any]:
    try:
        import ctranslate2
        import sentencepiece
    except ImportError as exc:
        raise EngineUnavailable(f"CTranslate2 is not installed ({exc.name} missing)",
                                hint=INSTALL_HINT, subject="ctranslate2") from exc
    return ctranslate2, sentencepiece


@dataclass
class _Loaded:
    """A model in memory: translator, tokenizers and its batcher."""

    translator: Any
    source_sp: Any
    target_sp: Any
    batcher: MicroBatcher


class NeuralEngine:
    """CTranslate2 models (``ctranslate2_*`` settings), one per language pair; ``models``
    instead of the installed ones."""

    name = "ctranslate2"
    max_segments = 0                   # the batcher cuts batches across callers

    def __init__(self, settings: Settings, *,
                 models: Mapping[tuple[str, str], ModelInfo] | None = None) -> None:
        self._ct2, self._sp = _modules()
        self.settings = settings
        folders = models_dirs(settings)
        self._models = dict(models) if models is not None else find_models(folders)
        if not self._models:
            where = ", ".join(str(d) for d in folders)
            raise EngineUnavailable(
                f"no CTranslate2 model or Argos package in {where}",
                hint=f"babelwire models install FILE.argosmodel, or install packages with "
                     f"Argos Translate's own tools, or put a converted model folder in {where}",
                subject=self.name)
        self._loaded: dict[tuple[str, str], _Loaded] = {}
        self._lock = threading.Lock()
        self._closed = False

    def pairs(self) -> dict[tuple[str, str], str]:
        """Every pair with an installed model, and the model's name and version."""
        return {pair: info.label for pair, info in self._models.items()}

    def run(self, job: Job) -> Answer:
        """Translate whole sentences, batched with other callers', and project the markup."""
        loaded = self._load(job.src, job.tgt)
        plains = [plain.encode(s) for s in job.segments]
        groups = [plain.requests(p) if p.text else [] for p in plains]
        flat = [text for group in groups for text in group]
        tokens = [list(loaded.source_sp.encode(text, out_type=str)) for text in flat]
        outputs, seconds = loaded.batcher.submit(tokens)
        texts = [str(loaded.target_sp.decode(out)) for out in outputs]
        result, at = [], 0
        for p, group in zip(plains, groups, strict=True):
            result.append(plain.decode(p, texts[at:at + len(group)]) if group else "")
            at += len(group)
        return Answer(result, tokens_in=sum(len(t) for t in tokens),
                      tokens_out=sum(len(o) for o in outputs), seconds=seconds)

    def _load(self, src: str, tgt: str) -> _Loaded:
        info = self._models.get((src, tgt))
        if info is None:
            raise UnsupportedPair(f"no CTranslate2 model for {src}->{tgt}", subject=self.name)
        with self._lock:
            if self._closed:
                raise EngineFailed("the CTranslate2 engine was closed", subject=self.name,
                                   retryable=False)
            loaded = self._loaded.get((src, tgt))
            if loaded is None:
                loaded = self._open(info)
                self._loaded[(src, tgt)] = loaded
            return loaded

    def _open(self, info: ModelInfo) -> _Loaded:
        try:
            translator = self._ct2.Translator(
                str(info.path), device=str(self.settings.ctranslate2_device), inter_threads=1,
                intra_threads=int(self.settings.ctranslate2_threads))
            source_sp = self._sp.SentencePieceProcessor(model_file=str(info.source_spm))
            target_sp = self._sp.SentencePieceProcessor(model_file=str(info.target_spm))
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineUnavailable(f"cannot load model {info.path}: {exc}",
                                    hint=INSTALL_HINT, subject=self.name) from exc
        beam, length = int(self.settings.ctranslate2_beam_size), \
            int(self.settings.ctranslate2_max_length)
        max_batch = int(self.settings.ctranslate2_max_batch)

        def decode(batch: list[list[str]]) -> list[list[str]]:
            todo = [i for i, tokens in enumerate(batch) if tokens]
            results = translator.translate_batch(
                [batch[i] for i in todo], beam_size=beam, max_decoding_length=length,
                max_batch_size=max_batch) if todo else []
            out: list[list[str]] = [[] for _ in batch]
            for index, result in zip(todo, results, strict=True):
                out[index] = list(result.hypotheses[0])
            return out

        batcher = MicroBatcher(decode, max_batch=max_batch,
                               wait=float(self.settings.ctranslate2_batch_wait),
                               name=f"ctranslate2-{info.src}-{info.tgt}")
        return _Loaded(translator, source_sp, target_sp, batcher)

    def close(self) -> None:
        """Stop the batchers and unload the models."""
        with self._lock:
            self._closed = True
            loaded, self._loaded = list(self._loaded.values()), {}
        for model in loaded:
            model.batcher.close()
