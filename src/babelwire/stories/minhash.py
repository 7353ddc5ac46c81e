"""Near-duplicate detection with MinHash LSH (datasketch): the same wire text on another site.

An article's text becomes the set of its word 3-shingles (case and punctuation folded, so that
another site's typography does not matter); datasketch turns the set into a MinHash signature.
LSH cuts the signature into bands chosen by datasketch for the Jaccard threshold; each band's
hash is an index key, so that the store finds the articles sharing a band with one indexed
lookup per band, never by comparing all pairs. Candidates are then confirmed by the estimated
Jaccard similarity of the two signatures.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SEED = 17
SHINGLE = 3
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The word ``size``-grams of ``text``, lowercased, punctuation ignored."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    """The MinHash signature of ``text``'s shingles."""
    sig = MinHash(num_perm=NUM_PERM, seed=SEED)
    sig.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return sig


def similarity(a: MinHash, b: MinHash) -> float:
    """The Jaccard similarity of two texts' shingle sets, as their signatures estimate it."""
    return float(a.jaccard(b))


@dataclass(frozen=True)
class Bands:
    """How a signature is cut for one threshold: ``bands`` bands of ``rows`` hash values
    (datasketch's choice, weighing false positives and false negatives alike)."""

    threshold: float
    bands: int
    rows: int

    @classmethod
    def for_threshold(cls, threshold: float) -> Bands:
        """The banding datasketch's ``MinHashLSH`` uses for ``threshold``."""
        bands, rows = _banding(threshold)
        return cls(threshold, bands, rows)

    def keys(self, sig: MinHash) -> list[str]:
        """One index key per band: ``band:hash of its hash values``."""
        values = np.asarray(sig.hashvalues, dtype=np.uint64)
        return [f"{band}:" + hashlib.blake2b(
            values[band * self.rows:(band + 1) * self.rows].tobytes(), digest_size=8).hexdigest()
            for band in range(self.bands)]


@functools.lru_cache(maxsize=16)
def _banding(threshold: float) -> tuple[int, int]:
    # datasketch integrates false-positive and false-negative curves (scipy) to choose the
    # banding: milliseconds per call, once per article without this cache
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def best_match(sig: MinHash, candidates: Iterable[tuple[int, str]],
               threshold: float) -> tuple[int, float] | None:
    """Among ``(id, text)`` candidates, the most similar at or above ``threshold``, with its
    similarity (the earliest id on a tie), else None."""
    best: tuple[int, float] | None = None
    for cid, text in candidates:
        score = similarity(sig, signature(text))
        if score >= threshold and (best is None or score > best[1]
                                   or (score == best[1] and cid < best[0])):
            best = (cid, score)
    return best
