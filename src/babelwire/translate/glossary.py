"""The glossary: terms never to translate, or to translate one fixed way.

Entries come from files (TOML or CSV, :func:`load_glossary_file`) and from the store (global and
per source); ``translate.names.detect`` protects the ones an article holds. ``glossary_version``
fingerprints a set of entries, so that the translation memory never serves a segment translated
under another glossary.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babelwire.exceptions import ConfigError
from babelwire.models import GlossaryEntry

_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n"})
_LANG = re.compile(r"^[a-z]{2,3}$|^$")


def glossary_version(entries: Sequence[GlossaryEntry]) -> str:
    """A short fingerprint of a set of entries ("0" for none)."""
    if not entries:
        return "0"
    text = "\n".join(sorted(f"{e.term}\t{e.source_lang}\t{e.target_lang}\t{e.translation}\t"
                            f"{e.case_sensitive}" for e in entries))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_glossary_file(path: Path) -> list[GlossaryEntry]:
    """Read a glossary from a TOML or CSV file (chosen by the ``.toml`` / ``.csv`` suffix).

    TOML: an array of tables named ``term``; only ``term`` is required::

        [[term]]
        term = "Wired"                      # never translated

        [[term]]
        term = "Board of Directors"
        source_lang = "en"                  # "" or absent: any language
        target_lang = "es"
        translation = "Consejo de Administración"
        case_sensitive = false              # default true

    CSV (UTF-8): a header row naming the columns, ``term`` required, then any of ``source_lang``,
    ``target_lang``, ``translation`` (empty: never translate), ``case_sensitive`` (true/false,
    yes/no, 1/0; empty: true). Rows whose first cell starts with ``#`` are comments.

    Raise ``ConfigError`` naming the file and line on unreadable files, unknown columns or keys,
    empty terms, bad language codes or bad booleans.
    """
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".csv"):
        raise ConfigError(f"{path}: glossary must be a .toml or .csv file", subject=str(path))
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read glossary: {exc}", subject=str(path)) from exc
    return _load_toml(path, raw) if suffix == ".toml" else _load_csv(path, raw)


_FIELDS = ("term", "source_lang", "target_lang", "translation", "case_sensitive")


def _load_toml(path: Path, raw: str) -> list[GlossaryEntry]:
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}", subject=str(path)) from exc
    unknown = set(data) - {"term"}
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; expected [[term]] tables",
                          subject=str(path))
    tables = data.get("term", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: 'term' must be an array of tables ([[term]])",
                          subject=str(path))
    return [_entry(path, f"[[term]] #{i}", table) for i, table in enumerate(tables, 1)]


def _load_csv(path: Path, raw: str) -> list[GlossaryEntry]:
    reader = csv.reader(raw.splitlines())
    rows = [(n, row) for n, row in enumerate(reader, 1) if row and not row[0].startswith("#")]
    if not rows:
        return []
    line, header = rows[0]
    names = [h.strip() for h in header]
    unknown = [h for h in names if h not in _FIELDS]
    if unknown or "term" not in names:
        raise ConfigError(f"{path}:{line}: bad header {names}; columns are {list(_FIELDS)} "
                          "and 'term' is required", subject=str(path))
    entries = []
    for line, row in rows[1:]:
        if len(row) > len(names):
            raise ConfigError(f"{path}:{line}: {len(row)} cells for {len(names)} columns",
                              subject=str(path))
        cells = {k: v.strip() for k, v in zip(names, row, strict=False)}
        entries.append(_entry(path, f"line {line}", cells))
    return entries


def _entry(path: Path, where: str, cells: Any) -> GlossaryEntry:
    def fail(why: str) -> ConfigError:
        return ConfigError(f"{path}: {where}: {why}", subject=str(path))

    if not isinstance(cells, dict):
        raise fail("expected a table")
    unknown = set(cells) - set(_FIELDS)
    if unknown:
        raise fail(f"unknown key(s) {sorted(unknown)}")
    values = {k: v for k, v in cells.items() if k == "case_sensitive" or isinstance(v, str)}
    if len(values) != len(cells):
        raise fail("term, source_lang, target_lang and translation must be strings")
    term = values.get("term", "").strip()
    if not term:
        raise fail("empty or missing 'term'")
    langs = [values.get(k, "").strip().lower() for k in ("source_lang", "target_lang")]
    if not all(_LANG.match(code) for code in langs):
        raise fail(f"bad language code in {langs} (use two or three letters, or leave empty)")
    translation = values.get("translation", "").strip() or None
    return GlossaryEntry(term, langs[0], langs[1], translation,
                         _boolean(values.get("case_sensitive", True), fail))


def _boolean(value: object, fail: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "" or text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise fail(f"case_sensitive must be true or false, not {value!r}")
