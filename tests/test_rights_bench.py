"""The rights benchmark's own arithmetic (bench/rights.py), on the saved pages of the tests."""

from __future__ import annotations

from collections import Counter
from types import ModuleType

import pytest

from babelwire.models import Access, Mode, Rights
from tests.helpers.bench import load_bench
from tests.helpers.rights import URLS, page


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("rights")


@pytest.mark.parametrize(("name", "expected"), [
    ("en-wikipedia-tsne", ["licence: CC BY-SA"]),
    ("fr-sciencesetavenir-rumeur", ["access: paywalled", "robots: noarchive",
                                    "robots: max-snippet:N"]),
    ("en-axios-future", ["robots: noindex"]),
    ("fr-liberation-nepal", ["no signal"]),
])
def test_signals_of_real_pages(bench: ModuleType, name: str, expected: list[str]) -> None:
    rights = bench.rights_of(bench.Page(name, page(name), URLS[name]))
    assert bench.signals(rights) == expected


@pytest.mark.parametrize(("read", "label", "matches"), [
    ("https://creativecommons.org/licenses/by-sa/3.0/de/", "by-sa 3.0", True),
    ("https://creativecommons.org/licenses/by-sa/3.0/de/", "by-sa", True),
    ("https://creativecommons.org/licenses/by-sa/3.0/", "by-sa 4.0", False),
    ("https://creativecommons.org/licenses/by-nc-sa/3.0/", "by-sa 3.0", False),
    ("https://creativecommons.org/licenses/by-sa/", "by-sa 3.0", False),
    (None, None, True), ("https://example.org/terms", None, True),
    (None, "by 4.0", False),
])
def test_licence_labels(bench: ModuleType, read: str | None, label: str | None,
                        matches: bool) -> None:
    assert bench.licence_matches(read, label) is matches


def test_labels_decide_like_pages(bench: ModuleType) -> None:
    entry = {"license": "by-nd", "access": "paywalled", "robots": ["noarchive"]}
    rights = bench.label_rights(entry)
    assert rights == Rights(license="https://creativecommons.org/licenses/by-nd/",
                            access=Access.PAYWALLED, robots=("noarchive",))


def test_the_table_counts_pages_and_modes(bench: ModuleType) -> None:
    rows = [("licence: CC BY", Counter({Mode.FULL: 2})),
            ("no signal", Counter({Mode.EXCERPT: 3}))]
    table = bench.markdown_table(rows, Counter({Mode.FULL: 2, Mode.EXCERPT: 3}), 5)
    assert table.splitlines()[2] == "| licence: CC BY | 2 | 2 | 0 | 0 |"
    assert table.splitlines()[-1] == "| **every page** | **5** | **2** | **3** | **0** |"
