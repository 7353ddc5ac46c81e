"""Metadata helpers: dates keep the page's offset, titles lose the site name, bylines their "By"."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from babelwire.extract.metadata import clean_author, clean_title, parse_datetime

CEST = timezone(timedelta(hours=2))


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-09-22T18:10:00+02:00", datetime(2024, 9, 22, 18, 10, tzinfo=CEST)),
    ("2024-06-03T07:45:00Z", datetime(2024, 6, 3, 7, 45, tzinfo=UTC)),
    ("2015-04-30T07:19:58", datetime(2015, 4, 30, 7, 19, 58, tzinfo=UTC)),
    ("Mon, 18 Nov 2019 10:00:00 +0100", datetime(2019, 11, 18, 9, 0, tzinfo=UTC)),
    ("Mon, 18 Nov 2019 10:00:00 EST", datetime(2019, 11, 18, 10, 0, tzinfo=UTC)),
])
def test_parse_datetime(value: str, expected: datetime) -> None:
    parsed = parse_datetime(value)
    assert parsed == expected and parsed is not None and parsed.tzinfo is not None


def test_day_is_the_pages_day() -> None:
    parsed = parse_datetime("2024-09-22T00:30:00+02:00")
    assert parsed is not None and parsed.date().isoformat() == "2024-09-22"


@pytest.mark.parametrize("value", ["", "2019", "tomorrow", "Nov 2019", "1887-01-01", "2999-01-01"])
def test_unusable_dates(value: str) -> None:
    assert parse_datetime(value) is None


@pytest.mark.parametrize(("title", "site", "headings", "expected"), [
    ("El plan de viviendas | Noticias del Levante", "Noticias del Levante", [],
     "El plan de viviendas"),
    ("La perte des terres fertiles | DW | 23.05.2011", "DW.COM", [],
     "La perte des terres fertiles"),
    ("Variety - Spider-Man - the return", "Variety", [], "Spider-Man - the return"),
    ("Long title here – Le Monde.fr", "Le Monde", ["Long title here"], "Long title here"),
    ("Screenshot : «Vape Wave»", "Libération", [], "Screenshot : «Vape Wave»"),
])
def test_clean_title(title: str, site: str, headings: list[str], expected: str) -> None:
    assert clean_title(title, site, headings) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("By Erin Cunningham", "Erin Cunningham"), ("Par  Sébastien Farcis", "Sébastien Farcis"),
    ("Autor: Marcos Ibáñez", "Marcos Ibáñez"), ("Redacción EC", "Redacción EC"),
    ("De la Cruz", "De la Cruz"), ("Byron Smith", "Byron Smith"),
])
def test_clean_author(name: str, expected: str) -> None:
    assert clean_author(name) == expected


PAGES = sorted((Path(__file__).parent / "data" / "extract" / "pages").glob("*/source.html.gz"))


@pytest.mark.parametrize("path", PAGES, ids=[p.parent.name for p in PAGES])
def test_trafilatura_fields_read_apart_are_trafilaturas(path: Path) -> None:
    """The fields babelwire reads from trafilatura's metadata, read apart and the costly ones
    only when asked for, have the values of trafilatura's whole metadata pass."""
    from trafilatura.metadata import extract_metadata

    from babelwire.extract import source

    raw = gzip.decompress(path.read_bytes())
    url = f"https://news.example/{path.parent.name}"
    _text, tree = source._read_tree(raw, url, None)
    whole = extract_metadata(tree, url, extensive=False)
    ours = source.TrafilaturaMetadata(tree, url)
    for field in ("title", "sitename", "image", "description", "author", "date", "url"):
        assert getattr(ours, field) == getattr(whole, field), field
