"""Near-duplicates with MinHash LSH, measured on the demo's real pages and copies made from them
(trimmed, in another site's template, re-headlined) against distinct articles (the other pages,
and the held-out newstest documents)."""

from __future__ import annotations

import gzip
import json
from itertools import combinations

import pytest

from babelwire.extract.article import extract_article
from babelwire.settings import Settings
from babelwire.stories import minhash
from tests.helpers import DATA
from tests.helpers.wire import demo_pages, in_template, reheadlined, trimmed

THRESHOLD = Settings().dedupe_threshold  # the default: 0.4


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Extracted text of every demo page, of three copies of each, and of newstest documents."""
    pages = dict(demo_pages())
    slugs = sorted(pages)
    out: dict[str, str] = {}
    for k, slug in enumerate(slugs):
        page, other = pages[slug], pages[slugs[(k + 1) % len(slugs)]]
        variants = {"": page, "~trimmed": trimmed(page), "~template": in_template(page, other),
                    "~headline": reheadlined(page, "A different headline for the same text")}
        for suffix, html in variants.items():
            out[slug + suffix] = extract_article(html, f"https://site{k}.example/{slug}").text
    seen: set[str] = set()
    with gzip.open(DATA / "stories" / "crosslingual-heldout.jsonl.gz", "rt") as f:
        for line in f:
            pair = json.loads(line)
            if pair["overall"] == 4:  # two distinct documents (each in several pairs: once)
                for side in ("1", "2"):
                    if pair["text" + side] not in seen:
                        seen.add(pair["text" + side])
                        out[f"{pair['id']}:{side}"] = pair["text" + side]
    return out


def _detected(texts: dict[str, str], threshold: float) -> set[frozenset[str]]:
    """Pairs the LSH index proposes and the signatures confirm, as the pipeline finds them."""
    bands = minhash.Bands.for_threshold(threshold)
    sigs = {name: minhash.signature(text) for name, text in texts.items()}
    index: dict[str, set[str]] = {}
    found: set[frozenset[str]] = set()
    for name, sig in sigs.items():
        keys = bands.keys(sig)
        candidates = {c for key in keys for c in index.get(key, ())}
        for other in candidates:
            if minhash.similarity(sig, sigs[other]) >= threshold:
                found.add(frozenset((name, other)))
        for key in keys:
            index.setdefault(key, set()).add(name)
    return found


def _truth(texts: dict[str, str]) -> set[frozenset[str]]:
    """Every pair of an article and one of its copies, or two copies of one article."""
    return {frozenset(pair) for pair in combinations(texts, 2)
            if "~" in "".join(pair) and pair[0].split("~")[0] == pair[1].split("~")[0]}


def test_copies_are_found_and_distinct_articles_are_not(texts: dict[str, str]) -> None:
    truth, found = _truth(texts), _detected(texts, THRESHOLD)
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert len(truth) == 23 * 6 and len(texts) > 150
    assert precision == 1.0
    assert recall >= 0.9, sorted(map(sorted, truth - found))


@pytest.mark.parametrize("kind", ["trimmed", "template", "headline"])
def test_each_kind_of_copy_is_close_to_its_original(texts: dict[str, str], kind: str) -> None:
    slugs = [name for name in texts if name.endswith("~" + kind)]
    scores = [minhash.similarity(minhash.signature(texts[s]),
                                 minhash.signature(texts[s.split("~")[0]])) for s in slugs]
    assert len(scores) == 23
    assert sum(score >= THRESHOLD for score in scores) >= 20


def test_a_stricter_threshold_finds_fewer_copies(texts: dict[str, str]) -> None:
    loose, strict = _detected(texts, 0.3), _detected(texts, 0.9)
    assert strict < loose


def test_banding_follows_the_threshold() -> None:
    loose, strict = minhash.Bands.for_threshold(0.3), minhash.Bands.for_threshold(0.8)
    assert loose.bands * loose.rows <= minhash.NUM_PERM
    assert loose.rows < strict.rows
    sig = minhash.signature("the same words in the same order make the same keys")
    assert loose.keys(sig) == loose.keys(minhash.signature(
        "The same words, in the same order, make the same keys!"))


def test_signatures_and_banding_equal_datasketch(texts: dict[str, str]) -> None:
    """The signature is datasketch 2's MinHash (scheme ``affine32``) and the banding is its
    ``MinHashLSH`` choice, so keys stored by either are the same; it is kept in babelwire only so
    that a runner does not import scipy with datasketch (see the module's docstring)."""
    import datasketch  # a test requirement only (pyproject: test)

    for name, text in [*sorted(texts.items())[:60], ("empty", "")]:
        theirs = datasketch.MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED,
                                    scheme="affine32")
        theirs.update_batch([s.encode("utf-8") for s in minhash.shingles(text)])
        ours = minhash.signature(text)
        assert ours.hashvalues.dtype == theirs.hashvalues.dtype, name
        assert (ours.hashvalues == theirs.hashvalues).all(), name
    for threshold in (0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.85, 0.95):
        lsh = datasketch.MinHashLSH(threshold=threshold, num_perm=minhash.NUM_PERM)
        assert minhash._banding(threshold) == (lsh.b, lsh.r), threshold


def test_a_stage_process_does_not_import_scipy() -> None:
    """The pipeline's stage modules load without scipy (45 MiB of resident memory)."""
    import subprocess
    import sys
    code = ("import sys, babelwire.run.stages, babelwire.run.stories, babelwire.stories.minhash;"
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
