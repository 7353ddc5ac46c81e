"""The bound on the dictionary answers kept in memory (translate/kept.py): a long run's caches
stop growing, and what stays is the newer half."""

from __future__ import annotations

from babelwire.translate.kept import trim


def test_a_cache_past_its_bound_keeps_its_newer_half() -> None:
    kept: dict[str, int] = {}
    for n in range(1_000):
        kept[f"w{n}"] = n
        trim(kept, keep=100)
        assert len(kept) <= 100
    assert "w999" in kept and "w0" not in kept
    assert min(kept.values()) >= 1_000 - 100


def test_a_cache_within_its_bound_is_left_alone() -> None:
    kept = {n: n for n in range(50)}
    trim(kept, keep=100)
    assert kept == {n: n for n in range(50)}
