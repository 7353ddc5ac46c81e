"""The words babelwire writes for readers, in the languages it publishes most: the site's
interface and the machine-translation notice every translation carries (``notice``).

Language names and dates come from Babel's CLDR data. The interface labels and the notice are
written in English here (``ENGLISH``) and translated in gettext catalogs
(``locale/LANG/LC_MESSAGES/babelwire.po``) that Babel reads; a language or a label without a
translation falls back to English.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

# The words in English, each the msgid of its translations in locale/LANG/LC_MESSAGES/babelwire.po
# (gettext catalogs read with Babel). A new label goes here and into each catalog.
ENGLISH: Final = {
    "skip": "Skip to content",
    "latest": "Latest translations",
    "languages": "Languages",
    "sources": "Sources",
    "source": "Source",
    "author": "Author",
    "original_title": "Original title",
    "original_date": "Originally published",
    "read_original": "Read the original",
    "translated_on": "Translated",
    "engine": "Translation engine",
    "bilingual": "Side by side with the original",
    "translation_only": "Translation only",
    "original": "Original",
    "translation": "Translation",
    "newer": "Newer",
    "older": "Older",
    "page": "Page",
    "feeds": "Feeds",
    "nothing": "Nothing has been published here yet.",
    "not_found": "Page not found",
    "unavailable": "Temporarily unavailable",
    "notice": "Machine-translated from {source} by {engine}{via}; it may contain errors.",
    "notice_via": " via {pivot}",
    "notice_original": " Original: {site}.",
    "unknown_language": "the original language",
    "articles": "articles",
    "choose": "Choose a language",
    "search": "Search",
    "search_label": "Words to look for",
    "search_results": "Search: {query}",
    "search_count": "{count} translation(s) found.",
    "search_none": "No translation matches these words.",
    "search_newest": "The {count} most recent matching translations, best match first.",
    "license": "Licence",
    "republished": "Republished",
    "mode_full": "in full",
    "mode_excerpt": "as an excerpt",
    "mode_headline": "as a headline only",
    "mode_none": "not at all",
    "read_full": "Read the whole article at {site}",
    "same_license": "This translation is shared under the same licence.",
    "story": "The story in every source",
    "also_reported": "Also reported by",
}
LOCALE_DIR: Final = Path(__file__).with_name("locale")


@cache
def _catalog(lang: str) -> Catalog | None:
    """The gettext catalog of ``lang`` (``locale/LANG/LC_MESSAGES/babelwire.po``), if any."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "babelwire.po"
    if not path.is_file():
        return None
    with path.open("rb") as po:
        return read_po(po, locale=lang, domain="babelwire")


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def translated(lang: str) -> bool:
    """Whether babelwire's words exist in ``lang`` (English, or a catalog under ``locale/``)."""
    return _base(lang) == "en" or _catalog(_base(lang)) is not None


@cache
def _labels(lang: str) -> dict[str, str]:
    catalog = _catalog(lang)
    if catalog is None:
        return dict(ENGLISH)
    out = {}
    for key, english in ENGLISH.items():
        message = catalog.get(english)
        text = message.string if message is not None else ""
        out[key] = text if isinstance(text, str) and text else english
    return out


def labels(lang: str) -> dict[str, str]:
    """Interface labels for ``lang``, English for any label or language without a translation."""
    return dict(_labels(_base(lang)))


@lru_cache(maxsize=256)  # Locale.parse reads Babel's data each time: pages ask for a few, often
def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def language_name(code: str, in_lang: str | None = None) -> str:
    """The name of language ``code`` in ``in_lang`` (its own name by default), else the code."""
    locale = _locale(code)
    if locale is None:
        return code
    name = locale.get_language_name(_locale(in_lang) if in_lang else locale)
    return name[:1].upper() + name[1:] if name else code


def text_direction(lang: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    locale = _locale(lang)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def format_day(when: datetime | None, lang: str) -> str:
    """A date written the way readers of ``lang`` write it (ISO day if the language is unknown)."""
    return "" if when is None else _format_day(when.date(), lang)


@lru_cache(maxsize=4096)   # a listing or a feed writes many dates, mostly of the same few days
def _format_day(day: date, lang: str) -> str:
    locale = _locale(lang)
    if locale is None:
        return day.isoformat()
    return format_date(day, format="long", locale=locale)


# The router's label of a translation through a pivot language: "apertium (en→es→fr)".
_PIVOT = re.compile(r"\((\w+)→(\w+)→(\w+)\)")


@lru_cache(maxsize=1024)  # every listing writes the notice of each card: a few distinct ones
def notice(lang: str, source_lang: str, engine: str, site: str = "") -> str:
    """The machine-translation notice in ``lang``: from which language, by which engine (through
    which pivot language), and the original's site if known.

    ``engine`` is the router's label, such as ``apertium`` or ``apertium (en→es→fr)``. Language
    names are Babel's, in ``lang`` (English where the table has no such language).
    """
    words = labels(lang)
    reader = lang if translated(lang) else "en"
    pivot = _PIVOT.search(engine)
    via = words["notice_via"].format(pivot=_name_in(pivot.group(2), reader)) if pivot else ""
    name = _PIVOT.sub("", engine).strip().replace("+", ", ") or "?"
    text = words["notice"].format(source=_name_in(source_lang, reader) or words["unknown_language"],
                                  engine=name[:1].upper() + name[1:], via=via)
    return text + words["notice_original"].format(site=site) if site else text


def _name_in(code: str, reader: str) -> str:
    """The name of language ``code`` as written in a sentence of ``reader`` ("" if unknown)."""
    locale = _locale(code) if code else None
    return (locale.get_language_name(_locale(reader)) or "") if locale else ""
