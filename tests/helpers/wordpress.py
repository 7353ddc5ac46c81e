"""Filling a store with published translations for the WordPress tests, and reading back what
the real WordPress (tests/services_wordpress.py) holds."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from babelwire.models import TranslationStatus
from babelwire.settings import Settings
from babelwire.sources.fetch import Fetcher
from babelwire.store import Store
from babelwire.store.targets import TargetInfo
from babelwire.targets.sync import SyncReport, image_fetcher, sync_target
from tests.helpers.articles import load_article, make_translation, reference_translation
from tests.helpers.store import add_article
from tests.services_wordpress import WordPressServer


def png(width: int = 8, height: int = 6) -> bytes:
    """A small, valid PNG image (a red rectangle) made here, not copied from anywhere."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def add_chips(store: Store, n: int, *, lang: str = "es", image: str = "",
              status: TranslationStatus = TranslationStatus.PUBLISHED,
              start: datetime | None = None) -> list[int]:
    """``n`` published copies of the en-chips article (each its own item, an hour apart, the
    first the oldest) with its human Spanish translation; returns their item ids."""
    base = load_article("en-chips")
    reference = reference_translation("en-chips", lang)
    first = start or datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    ids = []
    for i in range(n):
        article = replace(base, url=f"{base.url}?copy={i}&{status}", image=image,
                          published=first + timedelta(hours=i))
        translation = replace(reference, title=f"{reference.title} ({i})") \
            if status == TranslationStatus.PUBLISHED else \
            make_translation(article, lang, f"held {i}", "<p>held body</p>", status=status)
        ids.append(add_article(store, article, [translation], guid=article.url,
                               source_url="https://circuitdaily.example/feed.xml",
                               source_name="Circuit Daily"))
    return ids


def add_target(store: Store, wordpress: WordPressServer, directory: Path, *,
               languages: tuple[str, ...] = ("es",), drafts: bool = False,
               url: str | None = None) -> TargetInfo:
    """The test WordPress as a target of ``store``."""
    return store.add_target("wordpress", url or wordpress.url, wordpress.user,
                            str(wordpress.password_file(directory)), languages, drafts=drafts)


def sync(settings: Settings, store: Store, target: TargetInfo,
         lines: list[str] | None = None) -> SyncReport:
    """One sync of ``target`` with babelwire's own fetcher for images."""
    fetcher = Fetcher(settings)
    try:
        return sync_target(settings, store, target, image_fetcher(fetcher),
                           progress=(lines.append if lines is not None else None))
    finally:
        fetcher.close()


def rest(wordpress: WordPressServer, path: str, **params: Any) -> Any:
    """A REST answer of the test WordPress, read as the publishing user (edit context)."""
    response = httpx.get(f"{wordpress.url}/wp-json/wp/v2/{path}",
                         params={"context": "edit", **params},
                         auth=(wordpress.user, wordpress.app_password), timeout=30)
    response.raise_for_status()
    return response.json()


def posts(wordpress: WordPressServer) -> list[list[str]]:
    """(id, status, slug, title) of every post on the test WordPress, by id."""
    return wordpress.sql("SELECT ID, post_status, post_name, post_title FROM wp_posts "
                         "WHERE post_type = 'post' ORDER BY ID")
