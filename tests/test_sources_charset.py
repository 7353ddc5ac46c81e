"""The one decoder (sources/charset.py) on pages: BOM, strict UTF-8 before declarations, declared
charsets, detection. Feeds are decoded by the same rule (test_sources_feeds.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from babelwire.sources.charset import declared_charset, decode_html

DATA = Path(__file__).parent / "data" / "extract"
SPANISH = "<p>La detención de Izaskun Lesaka, jefa del aparato militar, en España</p>"


def test_utf8_page_declaring_latin9_is_read_as_utf8() -> None:
    raw = gzip.decompress((DATA / "pages" / "es-elmundo-2012" / "source.html.gz").read_bytes())
    assert declared_charset(raw) == "iso-8859-15"
    text, used = decode_html(raw, encoding="iso-8859-15")
    assert used == "utf-8"
    assert "Izaskun Lesaka" in text and "Ã" not in text
    assert "pasó a la cúpula" in text


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1", "iso-8859-15"])
def test_declared_legacy_charset_is_used_when_bytes_are_not_utf8(charset: str) -> None:
    page = f'<html><head><meta charset="{charset}"></head><body>{SPANISH}</body></html>'
    text, _ = decode_html(page.encode("cp1252" if charset == "iso-8859-1" else charset))
    assert SPANISH in text


def test_http_header_charset_wins_over_meta_for_legacy_bytes() -> None:
    page = f'<html><head><meta charset="koi8-r"></head><body>{SPANISH}</body></html>'
    text, used = decode_html(page.encode("cp1252"), encoding="windows-1252")
    assert used == "cp1252" and SPANISH in text


def test_undeclared_legacy_page_is_detected() -> None:
    body = " ".join([SPANISH] * 20)
    text, used = decode_html(f"<html><body>{body}</body></html>".encode("cp1252"))
    assert "detención" in text and "España" in text, used


def test_utf8_declared_but_latin1_bytes_fall_back() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body>{SPANISH * 10}</body></html>'
    text, used = decode_html(page.encode("cp1252"))
    assert used != "utf-8" and "detención" in text


@pytest.mark.parametrize("bom_codec", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_decides(bom_codec: str) -> None:
    text, _ = decode_html(f"<html><body>{SPANISH}</body></html>".encode(bom_codec))
    assert SPANISH in text and not text.startswith("\ufeff")


def test_utf8_page_with_a_character_cut_and_a_stray_windows_1252_byte_stays_utf8() -> None:
    # the defects of real pages (shared extraction data, trafilatura's evaluation set): a
    # RadioMaryja.pl teaser cut inside a character by a CMS counting bytes ("papieros\xc3..."),
    # and a tierschutzpartei.de alt text pasted in windows-1252 ("Mitgef\xfchl"); one such
    # byte sent each whole page to chardet, which read it as Mac Roman or windows-1252
    raw = gzip.decompress((DATA / "pages" / "es-elmundo-2012" / "source.html.gz").read_bytes())
    cut = "cúpula".encode()[:2]
    damaged = raw.replace(b"</body>", b"<p>la " + cut + b'...</p><img alt="Mitgef\xfchl">'
                          b"</body>", 1)
    assert damaged != raw
    text, used = decode_html(damaged, encoding="iso-8859-15")
    assert used == "utf-8"
    assert "pasó a la cúpula" in text and "Izaskun Lesaka" in text
    # each stray byte is read alone, as windows-1252: the cut character's first byte too
    assert "<p>la cÃ...</p>" in text and text.count("Ã") == 1
    assert 'alt="Mitgefühl"' in text


def test_windows_1252_page_holding_one_valid_utf8_pair_stays_windows_1252() -> None:
    # "Ã©" written in windows-1252 is the bytes of UTF-8 "é": one whole character against
    # many stray bytes is not UTF-8
    page = f'<html><head><meta charset="windows-1252"></head><body>{SPANISH * 10} Ã©</body></html>'
    text, used = decode_html(page.encode("cp1252"))
    assert used == "cp1252" and "detención" in text and "Ã©" in text
