"""Near-duplicate detection with MinHash LSH: the same wire text on another site.

An article's text becomes the set of its word 3-shingles (case and punctuation folded, so that
another site's typography does not matter), and the set becomes a MinHash signature. LSH cuts
the signature into bands chosen for the Jaccard threshold; each band's hash is an index key, so
that the store finds the articles sharing a band with one indexed lookup per band, never by
comparing all pairs. Candidates are then confirmed by the estimated Jaccard similarity of the
two signatures.

Why not datasketch at run time: importing it imports scipy (for the one integral that chooses
the banding), 45 MiB of a runner's resident memory, about a seventh of it, for a computation
made once per process; and its default permutation scheme changed between versions (``legacy``
before 2.0, ``affine32`` since), which silently changes the index keys of every new article
against those already stored. The signature here is datasketch 2's ``MinHash`` with the
``affine32`` scheme (SHA-1's first 32 bits, the MurmurHash3 finalizer, affine permutations modulo
2^32), fixed in this file, and ``tests/test_stories_minhash.py`` checks that its values and
banding equal datasketch's.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

NUM_PERM = 128
SEED = 17
SHINGLE = 3
_WORD = re.compile(r"\w+")
_U32 = np.uint32


@dataclass(frozen=True, eq=False)
class MinHash:
    """A MinHash signature: for each of ``NUM_PERM`` permutations, the least permuted hash of
    the set's members (uint32)."""

    hashvalues: np.ndarray

    def jaccard(self, other: MinHash) -> float:
        """The estimated Jaccard similarity of the two sets."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self.hashvalues)


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``h -> a*h + b mod 2^32`` (``a`` odd, so each is a bijection),
    drawn as datasketch 2 draws them for ``seed``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=_U32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=_U32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (multiplications wrap modulo 2^32)."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> _U32(16))
    return mixed


def minhash(members: Iterable[bytes], num_perm: int = NUM_PERM, seed: int = SEED) -> MinHash:
    """The MinHash signature of a set of byte strings."""
    digests = b"".join(hashlib.sha1(m).digest()[:4] for m in members)
    if not digests:
        return MinHash(np.full(num_perm, 0xFFFFFFFF, dtype=_U32))
    hv = _fmix32(np.frombuffer(digests, dtype="<u4").astype(_U32).reshape(-1, 1))
    a, b = _permutations(num_perm, seed)
    with np.errstate(over="ignore"):
        return MinHash((hv * a + b).min(axis=0))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The word ``size``-grams of ``text``, lowercased, punctuation ignored."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    """The MinHash signature of ``text``'s shingles."""
    return minhash(s.encode("utf-8") for s in shingles(text))


def similarity(a: MinHash, b: MinHash) -> float:
    """The Jaccard similarity of two texts' shingle sets, as their signatures estimate it."""
    return a.jaccard(b)


@dataclass(frozen=True)
class Bands:
    """How a signature is cut for one threshold: ``bands`` bands of ``rows`` hash values
    (the banding datasketch's ``MinHashLSH`` chooses, weighing false positives and false
    negatives alike)."""

    threshold: float
    bands: int
    rows: int

    @classmethod
    def for_threshold(cls, threshold: float) -> Bands:
        """The banding for ``threshold``."""
        bands, rows = _banding(threshold)
        return cls(threshold, bands, rows)

    def keys(self, sig: MinHash) -> list[str]:
        """One index key per band: ``band:hash of its hash values``."""
        values = np.asarray(sig.hashvalues, dtype=np.uint64)
        return [f"{band}:" + hashlib.blake2b(
            values[band * self.rows:(band + 1) * self.rows].tobytes(), digest_size=8).hexdigest()
            for band in range(self.bands)]


def _rule(lo: float, hi: float, nodes: np.ndarray,
          weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points and weights of the Gauss-Legendre rule ``nodes``, ``weights`` (on [-1, 1])
    moved onto ``[lo, hi]``: the integral of ``f`` is ``f(points) @ weights``."""
    return (hi - lo) / 2 * nodes + (hi + lo) / 2, weights * (hi - lo) / 2


@functools.lru_cache(maxsize=16)
def _banding(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """The ``(bands, rows)`` that minimise the area under the false-positive curve below the
    threshold plus the area under the false-negative curve above it (datasketch's
    ``_optimal_param`` with equal weights; it integrates with scipy, here the integrals are
    exact)."""
    # Gauss-Legendre with num_perm nodes is exact for polynomials up to degree 2 num_perm - 1,
    # and the probabilities are polynomials of degree bands * rows <= num_perm (computed here,
    # once per threshold, rather than at import: 7 ms)
    nodes, weights = np.polynomial.legendre.leggauss(num_perm)
    below, below_w = _rule(0.0, threshold, nodes, weights)
    above, above_w = _rule(threshold, 1.0, nodes, weights)
    best, choice = float("inf"), (0, 0)
    for bands in range(1, num_perm + 1):
        rows = np.arange(1, num_perm // bands + 1, dtype=float)[:, None]
        false_pos = (1 - (1 - below ** rows) ** bands) @ below_w
        false_neg = ((1 - above ** rows) ** bands) @ above_w
        error = 0.5 * false_pos + 0.5 * false_neg
        k = int(np.argmin(error))
        if error[k] < best:
            best, choice = float(error[k]), (bands, k + 1)
    return choice


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
