"""A tiny random-weight translation model built on the spot, as an Argos package.

No model can be downloaded in tests, CI or the demo, yet the neural engine's real code (package
reading, SentencePiece, CTranslate2 loading, batching and decoding) must run. This builds, in well
under a second and under 100 KB: a SentencePiece model trained on a few KB of text, a one-layer
CTranslate2 Transformer with small random weights (int8), and the Argos package layout around
them. Its output is gibberish of bounded length (a random model never ends a sentence): it tests
plumbing and cost, never quality.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babelwire.translate.engines.neural import _modules


@dataclass(frozen=True)
class Size:
    """The shape of a random model: tiny for tests, base (OPUS-MT/Argos-like) for benchmarks."""

    layers: int = 1
    heads: int = 2
    d_model: int = 32
    ffn: int = 64
    vocab: int = 400


TINY = Size()
BASE = Size(layers=6, heads=8, d_model=512, ffn=2048, vocab=8000)


def build_package_dir(folder: Path, src: str, tgt: str, corpus: Sequence[str], *,
                      size: Size = TINY, seed: int = 0, version: str = "0.0.1") -> Path:
    """Write an unpacked Argos package for ``src`` -> ``tgt`` into ``folder``; returns it."""
    ct2, sp_module = _modules()
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    lines = [line for line in corpus if line.strip()]
    sp_module.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buffer, vocab_size=size.vocab,
        model_type="unigram", character_coverage=1.0, bos_id=-1, eos_id=-1, pad_id=-1,
        unk_id=0, minloglevel=2, hard_vocab_limit=False,
        normalization_rule_name="identity")
    (folder / "sentencepiece.model").write_bytes(buffer.getvalue())
    sp = sp_module.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    vocab = ["<blank>", "<s>", "</s>", *(sp.id_to_piece(i) for i in range(sp.get_piece_size()))]
    spec = _random_spec(ct2, len(vocab), seed, size)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize("int8")
    (folder / "model").mkdir(exist_ok=True)
    spec.save(str(folder / "model"))
    (folder / "metadata.json").write_text(json.dumps({
        "package_version": version, "argos_version": "1.9.0", "from_code": src,
        "from_name": src, "to_code": tgt, "to_name": tgt, "type": "translate",
        "description": "tiny random-weight test model built by babelwire"}, indent=2))
    return folder


def build_package(archive: Path, src: str, tgt: str, corpus: Sequence[str], *,
                  size: Size = TINY, seed: int = 0, version: str = "0.0.1") -> Path:
    """Write a ``.argosmodel`` zip for ``src`` -> ``tgt``; returns its path."""
    work = archive.parent / f".{archive.stem}-build"
    top = f"translate-{src}_{tgt}-{version.replace('.', '_')}"
    build_package_dir(work / top, src, tgt, corpus, size=size, seed=seed, version=version)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((work / top).rglob("*")):
            if path.is_file():
                zf.write(path, str(path.relative_to(work)))
    for path in sorted(work.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    work.rmdir()
    return archive


def _random_spec(ct2: Any, vocab: int, seed: int, size: Size) -> Any:
    import numpy as np

    spec = ct2.specs.TransformerSpec.from_config(num_layers=size.layers, num_heads=size.heads)
    rng = np.random.default_rng(seed)
    for name, value in spec.variables(ordered=True):
        if value is None:
            _set(spec, name, _weights(rng, name, vocab, size))
    return spec


def _weights(rng: Any, name: str, vocab: int, size: Size) -> Any:
    import numpy as np

    d, ffn = size.d_model, size.ffn
    if name.endswith("gamma"):
        return np.ones(d, dtype=np.float32)
    if name.endswith("beta"):
        return np.zeros(d, dtype=np.float32)
    shapes = {"embeddings": (vocab, d), "projection": (vocab, d),
              "self_attention/linear_0": (3 * d, d), "ffn/linear_0": (ffn, d),
              "ffn/linear_1": (d, ffn)}
    shape = next((s for key, s in shapes.items() if key in name), (d, d))
    if "/attention/linear_1" in name:               # cross-attention keys and values, fused
        shape = (2 * d, d)
    # large enough that different inputs give different outputs, small enough to stay finite
    return (rng.standard_normal(shape) * 0.5 * (32 / d) ** 0.5).astype(np.float32)


def _set(spec: Any, path: str, value: Any) -> None:
    """Set a variable by its path (``decoder/layer_0/ffn/linear_1/weight``)."""
    obj = spec
    *parents, leaf = path.split("/")
    for part in parents:
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        match = re.fullmatch(r"(\w+?)_(\d+)", part)
        if match is None:
            raise AttributeError(path)
        obj = getattr(obj, match.group(1))[int(match.group(2))]
    setattr(obj, leaf, value)
