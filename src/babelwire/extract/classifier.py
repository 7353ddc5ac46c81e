"""The block model: which of a page's segments are article text.

A small gradient-boosted tree ensemble (scikit-learn's ``HistGradientBoostingClassifier``, trained
by ``scripts/train_extractor.py``) exported to JSON, so that using it needs only numpy: no pickle,
no scikit-learn version to match, nothing downloaded. The shipped file is
``babelwire/extract/models/blocks-v<N>.json.gz``; it records its version, the features it reads (in
the order of :data:`~babelwire.extract.features.FEATURES`), the training settings and the ids of
the pages that trained it, and the two thresholds :mod:`~babelwire.extract.combine` applies
(chosen by :func:`babelwire.extract.training.choose_thresholds` on the training pages only).

All trees are walked at once over all segments of a page (one numpy step per tree level), which
keeps the model's cost per page well under a millisecond per hundred segments.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from babelwire.exceptions import ConfigError
from babelwire.extract.combine import ADD_ABOVE, DROP_BELOW
from babelwire.extract.features import FEATURES

MODEL_VERSION = 4
MODEL_FILE = f"blocks-v{MODEL_VERSION}.json.gz"


@dataclass(frozen=True, eq=False)
class BlockModel:
    """Tree ensemble over :data:`FEATURES`: node arrays of all trees, concatenated."""

    version: int
    features: tuple[str, ...]
    roots: npt.NDArray[np.int64]
    feature: npt.NDArray[np.int64]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    missing_left: npt.NDArray[np.bool_]
    leaf: npt.NDArray[np.bool_]
    value: npt.NDArray[np.float64]
    baseline: float
    depth: int
    info: dict[str, Any] = field(default_factory=dict)
    drop_below: float = DROP_BELOW
    add_above: float = ADD_ABOVE
    # derived in __post_init__, for predict
    _children: npt.NDArray[np.int32] = field(init=False, repr=False)
    _feature: npt.NDArray[np.int32] = field(init=False, repr=False)
    _threshold: npt.NDArray[np.float64] = field(init=False, repr=False)
    _roots: npt.NDArray[np.int32] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The walk's own arrays: a leaf leads to itself whichever way a value goes (so trees that
        # reached a leaf need no masking, and walking every tree to the deepest level is right),
        # a node's two children sit side by side, the left one second (so the next node is one
        # lookup: 2 * node + went_left), and node numbers are 32 bits (half the memory to read).
        at = np.arange(len(self.feature))
        left = np.where(self.leaf, at, self.left)
        right = np.where(self.leaf, at, self.right)
        object.__setattr__(self, "_children",
                           np.stack([right, left], axis=1).ravel().astype(np.int32))
        object.__setattr__(self, "_feature", np.where(self.leaf, 0, self.feature).astype(np.int32))
        object.__setattr__(self, "_threshold", np.where(self.leaf, np.inf, self.threshold))
        object.__setattr__(self, "_roots", self.roots.astype(np.int32))

    def predict(self, rows: list[list[float]]) -> npt.NDArray[np.float64]:
        """Probability that each row (a segment's features) is article text."""
        if not rows:
            return np.zeros(0)
        x = np.asarray(rows, dtype=np.float64)
        values_of = x.ravel()
        row_start = (np.arange(len(rows), dtype=np.int32) * np.int32(x.shape[1]))[:, None]
        children, feature, threshold = self._children, self._feature, self._threshold
        missing = bool(np.isnan(values_of).any())
        state = np.tile(self._roots, (len(rows), 1))
        for _ in range(self.depth):
            values = values_of.take(row_start + feature.take(state))
            go_left = values <= threshold.take(state)
            if missing:
                go_left = np.where(np.isnan(values),
                                   self.missing_left.take(state) | self.leaf.take(state), go_left)
            state = children.take(2 * state + go_left)
        raw = self.baseline + self.value[state].sum(axis=1)
        return np.asarray(1.0 / (1.0 + np.exp(-raw)))


def model_from_dict(data: dict[str, Any]) -> BlockModel:
    """A :class:`BlockModel` from its JSON form (see :func:`babelwire.extract.training.export`)."""
    if tuple(data["features"]) != FEATURES:
        raise ConfigError(f"block model v{data['version']} reads other features than this "
                          "babelwire computes: retrain it with scripts/train_extractor.py")
    trees = data["trees"]
    offsets = np.cumsum([0] + [len(t["feature"]) for t in trees[:-1]])

    def joined(key: str, shift: bool = False) -> npt.NDArray[Any]:
        parts = [np.asarray(t[key]) + (offset if shift else 0)
                 for t, offset in zip(trees, offsets, strict=True)]
        return np.concatenate(parts)

    return BlockModel(
        version=int(data["version"]), features=FEATURES, roots=offsets.astype(np.int64),
        feature=joined("feature").astype(np.int64), threshold=joined("threshold").astype(float),
        left=joined("left", shift=True).astype(np.int64),
        right=joined("right", shift=True).astype(np.int64),
        missing_left=joined("missing_left").astype(bool), leaf=joined("leaf").astype(bool),
        value=joined("value").astype(float), baseline=float(data["baseline"]),
        depth=int(data["depth"]), info=dict(data.get("info", {})),
        drop_below=float(data.get("drop_below", DROP_BELOW)),
        add_above=float(data.get("add_above", ADD_ABOVE)))


def load_model(path: Path) -> BlockModel:
    """Read a model file (gzipped JSON)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return model_from_dict(json.load(handle))


@cache
def shipped_model() -> BlockModel:
    """The model shipped in the package (read once per process: the file never changes)."""
    path = resources.files("babelwire.extract") / "models" / MODEL_FILE
    with resources.as_file(path) as real:
        return load_model(real)
