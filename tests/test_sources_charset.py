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
